package org.layerlens.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.layerlens.engine.exec.Execution;
import org.layerlens.engine.exec.ModuleObserver;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.io.CheckpointException;
import org.layerlens.engine.io.Checkpoints;
import org.layerlens.engine.io.OnnxReader;
import org.layerlens.engine.io.StateDict;
import org.layerlens.engine.nn.OnnxMapping;
import org.layerlens.engine.io.TfjsManifest;
import org.layerlens.engine.nn.Detector;
import org.layerlens.engine.nn.FaceApiMapping;
import org.layerlens.engine.nn.StateDictLoader;
import org.layerlens.engine.ssd.SsdOutput;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A loaded detector: the module tree with its weights, class labels, and where it came from. */
public final class Model {
    public static final double DEFAULT_IOU = 0.45;
    public static final int CANDIDATES = 200;

    private final Detector net;
    private final String name;
    private final Path source;
    private final List<String> labels;
    private final List<String> notes;

    public Model(Detector net, String name, Path source, List<String> labels, List<String> notes) {
        this.net = net;
        this.name = name;
        this.source = source;
        this.labels = List.copyOf(labels);
        this.notes = List.copyOf(notes);
    }

    /** Reads a checkpoint (and optionally a labels file); never runs code from the file. */
    public static Model load(Path checkpoint, Path labelsFile) throws IOException {
        Detector net;
        List<String> notes = new ArrayList<>();
        if (TfjsManifest.looks(checkpoint)) {
            net = FaceApiMapping.build(checkpoint, TfjsManifest.read(checkpoint), notes);
        } else if (Checkpoints.isOnnx(checkpoint)) {
            net = OnnxMapping.build(checkpoint, OnnxReader.read(checkpoint), notes);
        } else {
            StateDict sd = Checkpoints.read(checkpoint);
            net = StateDictLoader.build(sd);
            notes.addAll(sd.notes());
        }
        notes.add(0, "recognised " + net.architecture() + " with " + net.numClasses() + " classes");
        List<String> labels = labelsFile == null ? net.defaultLabels() : Labels.read(labelsFile, notes);
        if (labels.size() != net.numClasses()) {
            throw new CheckpointException(labelsFile, "has " + labels.size() + " labels (with BACKGROUND) but "
                    + checkpoint.getFileName() + " has " + net.numClasses() + " classes");
        }
        String name = checkpoint.getFileName().toString();
        return new Model(net, name, checkpoint, labels, notes);
    }

    /** The IoU threshold of the model's own NMS. */
    public double defaultIou() {
        return net.defaultIou();
    }

    public Detector net() {
        return net;
    }

    public String name() {
        return name;
    }

    public Path source() {
        return source;
    }

    public List<String> labels() {
        return labels;
    }

    public List<String> notes() {
        return notes;
    }

    public int inputSize() {
        return net.imageSize();
    }

    public Execution newExecution(Execution.Mode mode, ModuleObserver observer) {
        return new Execution(mode, observer, net.tapPaths());
    }

    /** Fast pass (batch norm folded, nothing kept). */
    public SsdOutput detectFast(LoadedImage img) {
        try (INDArray x = toInput(img)) {
            return net.predict(x, newExecution(Execution.Mode.FAST, null), img.width(), img.height());
        }
    }

    /** Inspect pass: every module's output kept in the returned inspection. */
    public Inspection inspect(LoadedImage img, Execution.Mode mode, ModuleObserver also) {
        return Inspection.run(this, img, toInput(img), mode, also, null);
    }

    /** The network input for {@code img}, made by this model's own preprocessing. */
    public INDArray toInput(LoadedImage img) {
        return net.toInput(img);
    }
}

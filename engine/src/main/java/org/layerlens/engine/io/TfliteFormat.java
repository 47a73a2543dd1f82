package org.layerlens.engine.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

import org.layerlens.engine.Labels;
import org.layerlens.engine.arch.ArchitectureSpec;
import org.layerlens.engine.arch.TfObjectDetection;
import org.layerlens.engine.nn.TfliteNet;

/**
 * TensorFlow Lite models ({@code .tflite}): {@link TfliteReader} reads the file, {@link TfliteHeads}
 * finds an SSD's head convolutions behind its outputs, {@link TfObjectDetection} must know the
 * anchors of that head layout, and {@link TfliteNet} builds the tree from the TF scopes and traces
 * it once, so that any shape the file gets wrong fails here, naming the file. Labels: a MediaPipe /
 * TF Object Detection label map beside the file ({@code *labelmap*.txt}, one class a line, line 0
 * the background) when there is exactly one.
 */
final class TfliteFormat implements ModelFormat {
    @Override
    public String name() {
        return "TFLite model";
    }

    @Override
    public List<String> patterns() {
        return List.of("*.tflite");
    }

    @Override
    public boolean probe(Path file, byte[] head) {
        return head.length >= 8 && head[4] == 'T' && head[5] == 'F' && head[6] == 'L' && head[7] == '3';
    }

    @Override
    public Opened open(Path file) throws IOException {
        TfliteModel m = TfliteReader.read(file);
        TfliteHeads heads = TfliteHeads.find(m);
        int[] in = m.tensor(m.inputs()[0]).shape();
        int[][] grids = new int[heads.heads().size()][];
        for (int i = 0; i < grids.length; i++) {
            TfliteHeads.Head h = heads.heads().get(i);
            grids[i] = new int[] {h.rows(), h.cols(), h.anchors()};
        }
        ArchitectureSpec spec = in.length == 4 ? TfObjectDetection.forHeads(in[1], in[2], grids) : null;
        if (spec == null) {
            throw new CheckpointException(file, "a TF Object Detection SSD with input " + java.util.Arrays.toString(in)
                    + " and heads " + describe(grids) + "; LayerLens knows the anchors of "
                    + TfObjectDetection.layout() + " (MediaPipe's SSD MobileNetV2, objects-v2) only");
        }
        LinkedHashMap<String, Integer> outputs = new LinkedHashMap<>();
        List<Integer> sources = new ArrayList<>();
        for (int i = 0; i < grids.length; i++) {
            outputs.put("cls." + i, heads.heads().get(i).classTensor());
            outputs.put("reg." + i, heads.heads().get(i).boxTensor());
            sources.add(heads.heads().get(i).source());
        }
        TfliteNet net;
        try {
            net = TfliteNet.of(m, outputs, sources);
            net.trace(spec.input().size());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CheckpointException(file, e.getMessage(), e);
        }
        List<String> notes = new ArrayList<>(m.notes());
        notes.add(net.modules().size() - 1 + " modules from the TF scopes of " + m.operators().size()
                + " operators (" + (m.tensors().size()) + " tensors)");
        List<String> labels = labelMap(file, notes);
        if (!labels.isEmpty() && labels.size() != heads.classes()) {
            notes.add("warning: " + labels.size() + " labels beside the file for " + heads.classes()
                    + " classes: ignored");
            labels = List.of();
        }
        return new Opened(null, spec.name(), Set.of(), notes, new Built(spec, net, heads.classes(), labels));
    }

    private static String describe(int[][] grids) {
        List<String> s = new ArrayList<>();
        for (int[] g : grids) {
            s.add(g[0] + "x" + g[1] + "x" + g[2]);
        }
        return String.join(", ", s);
    }

    /** The one {@code *labelmap*.txt} beside the file, read as class names (empty when none or several). */
    private static List<String> labelMap(Path file, List<String> notes) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*labelmap*.txt")) {
            ds.forEach(found::add);
        } catch (IOException e) {
            return List.of();
        }
        if (found.size() != 1) {
            return List.of();
        }
        try {
            List<String> labels = Labels.read(found.get(0), notes);
            notes.add("labels from " + found.get(0).getFileName());
            return labels;
        } catch (IOException e) {
            notes.add("warning: " + e.getMessage());
            return List.of();
        }
    }
}

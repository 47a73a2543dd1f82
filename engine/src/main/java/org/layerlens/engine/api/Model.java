package org.layerlens.engine.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.layerlens.engine.Labels;
import org.layerlens.engine.arch.ArchitectureSpec;
import org.layerlens.engine.arch.Architectures;
import org.layerlens.engine.exec.Activations;
import org.layerlens.engine.exec.Executor;
import org.layerlens.engine.exec.Mode;
import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.ReceptiveField;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.io.CheckpointException;
import org.layerlens.engine.io.ModelFormat;
import org.layerlens.engine.io.ModelFormats;
import org.layerlens.engine.io.StateDict;
import org.layerlens.engine.nn.Detector;
import org.layerlens.engine.nn.StateDictLoader;
import org.layerlens.engine.ssd.Decoded;
import org.layerlens.engine.ssd.HeadLayout;

/**
 * An opened detector: its architecture, module tree with weights, traced graph, class labels and
 * where it came from. Runs are read top to bottom: file -> format -> architecture -> tree ->
 * graph -> pass -> {@link DetectorOutput} / {@link Inspection}. Immutable; any number of passes
 * may run on it at once.
 */
public final class Model {
    private final ArchitectureSpec spec;
    private final Detector tree;
    private final int classes;
    private final Graph graph;
    private final Executor executor;
    private final HeadLayout layout;
    private final ReceptiveField.Field[] headFields;
    private final String name;
    private final Path source;
    private final List<String> labels;
    private final List<String> notes;
    private final Set<String> notComparable;
    private final ReceptiveField fields;
    private final Map<String, Long> macs;

    private Model(ArchitectureSpec spec, Detector tree, int classes, Graph graph, Executor executor, String name,
                  Path source, List<String> labels, List<String> notes, Set<String> notComparable) {
        this.spec = spec;
        this.tree = tree;
        this.classes = classes;
        this.graph = graph;
        this.executor = executor;
        this.name = name;
        this.source = source;
        this.labels = List.copyOf(labels);
        this.notes = List.copyOf(notes);
        this.notComparable = Set.copyOf(notComparable);
        Map<String, int[]> regShapes = new HashMap<>();
        graph.outputs().forEach((k, v) -> regShapes.put(k, v.dims()));
        this.layout = HeadLayout.of(regShapes);
        ReceptiveField rf = ReceptiveField.of(graph);
        this.fields = rf;
        this.macs = graph.macsByModule();
        this.headFields = new ReceptiveField.Field[layout.heads().size()];
        for (int i = 0; i < headFields.length; i++) {
            // a detection's score comes from the class head, its box from the box head
            headFields[i] = ReceptiveField.union(rf.of(graph.outputs().get("cls." + i)),
                    rf.of(graph.outputs().get("reg." + i)));
        }
    }

    /** A loaded tree (weights in it) as a model: traces it once. */
    public static Model of(ArchitectureSpec spec, Detector tree, int classes, String name, Path source,
                           List<String> labels, List<String> notes, Set<String> notComparable) {
        Graph g = tree.trace(spec.input().size());
        return new Model(spec, tree, classes, g, new Executor(g), name, source, labels, notes, notComparable);
    }

    /** Reads a model file in any format LayerLens knows (and optionally a labels file); never runs code from it. */
    public static Model open(Path file, Path labelsFile) throws IOException {
        ModelFormat.Opened o = ModelFormats.open(file);
        if (o.built() != null) {
            return built(file, labelsFile, o);
        }
        StateDict sd = o.stateDict();
        ArchitectureSpec spec;
        int classes;
        Architectures.Recognised r = Architectures.recognise(sd);
        if (o.architecture() != null && !o.architecture().equals(r.spec().name())) {
            throw new CheckpointException(file, "the reader mapped it onto " + o.architecture() + " but its keys fit "
                    + r.spec().name());
        }
        spec = r.spec();
        classes = r.classes();
        Detector tree = spec.build(classes);
        StateDictLoader.load(tree, tree.rootName(), sd);
        List<String> notes = new ArrayList<>();
        notes.add("recognised " + spec.name() + " with " + classes + " classes");
        notes.addAll(o.notes());
        for (String n : sd.notes()) {
            if (!notes.contains(n)) {
                notes.add(n);
            }
        }
        List<String> labels = labelsFile == null ? spec.defaultLabels().apply(classes) : Labels.read(labelsFile, notes);
        if (labels.size() != classes) {
            throw new CheckpointException(labelsFile, "has " + labels.size() + " labels (with BACKGROUND) but "
                    + file.getFileName() + " has " + classes + " classes");
        }
        return of(spec, tree, classes, file.getFileName().toString(), file, labels, notes, o.notComparable());
    }

    private static Model built(Path file, Path labelsFile, ModelFormat.Opened o) throws IOException {
        ModelFormat.Built b = o.built();
        List<String> notes = new ArrayList<>();
        notes.add("recognised " + b.spec().name() + " with " + b.classes() + " classes");
        notes.addAll(o.notes());
        List<String> labels = labelsFile != null ? Labels.read(labelsFile, notes)
                : !b.labels().isEmpty() ? b.labels() : b.spec().defaultLabels().apply(b.classes());
        if (labels.size() != b.classes()) {
            throw new CheckpointException(labelsFile != null ? labelsFile : file, "has " + labels.size()
                    + " labels (with BACKGROUND) but " + file.getFileName() + " has " + b.classes() + " classes");
        }
        return of(b.spec(), b.tree(), b.classes(), file.getFileName().toString(), file, labels, notes,
                o.notComparable());
    }

    /** The same model under another display name (bundled models); shares the compiled programs. */
    public Model named(String newName) {
        return new Model(spec, tree, classes, graph, executor, newName, source, labels, notes, notComparable);
    }

    /**
     * This model running another graph made from its traced one (a graph transformation such as
     * the int8 what-if): the same tree, labels and post-processing, its own executor.
     * {@code notComparable} replaces this model's: the modules whose output the new graph no
     * longer has, or has with another meaning.
     */
    public Model transformed(Graph newGraph, String newName, Set<String> newNotComparable, List<String> moreNotes) {
        List<String> n = new ArrayList<>(notes);
        n.addAll(moreNotes);
        return new Model(spec, tree, classes, newGraph, new Executor(newGraph), newName, source, labels, n,
                newNotComparable);
    }

    /** Shape, parameters, multiply-adds and receptive field of the module at {@code path}. */
    public ModuleInfo info(String path) {
        org.layerlens.engine.nn.Module m = tree.find(path);
        if (m == null) {
            throw new IllegalArgumentException("no module '" + path + "' in " + name);
        }
        Graph.ModuleRun run = graph.module(path);
        long total = path.isEmpty() ? graph.totalMacs() : macsBelow(m);
        if (run == null) {
            return new ModuleInfo(path, m.typeName(), null, m.parameterCount(), total, 0, 0, false);
        }
        ReceptiveField.Field f = fields.of(run.output());
        boolean global = f.rows().global() || f.cols().global();
        long rows = f.rows().global() ? inputSize() : f.rows().size();
        long cols = f.cols().global() ? inputSize() : f.cols().size();
        return new ModuleInfo(path, m.typeName(), run.output().chw(), m.parameterCount(), total, rows, cols, global);
    }

    /**
     * A module's multiply-adds: its own count where it runs; for a holder that is never called
     * itself (a ModuleList, face-api's prediction_layer) its children's, so that every row of
     * {@code summary} and the window counts what is below it, as the others do.
     */
    private long macsBelow(org.layerlens.engine.nn.Module m) {
        long own = macs.getOrDefault(m.path(), 0L);
        if (own > 0 || graph.module(m.path()) != null) {
            return own;
        }
        long below = 0;
        for (org.layerlens.engine.nn.Module c : m.childList()) {
            below += macsBelow(c);
        }
        return below;
    }

    /** The receptive field of every value (explain, heatmap cell marking). */
    public ReceptiveField receptiveFields() {
        return fields;
    }

    public ArchitectureSpec spec() {
        return spec;
    }

    /** The module tree (for display: names, types, parameters). */
    public Detector tree() {
        return tree;
    }

    /** The traced graph: shapes, multiply-adds, receptive fields. */
    public Graph graph() {
        return graph;
    }

    public HeadLayout layout() {
        return layout;
    }

    /**
     * The receptive field of head {@code head}'s cells in network-input pixels (the union of its
     * class and box maps' fields): cell (row, col) reads {@code headField(h).box(row, col, ...)}.
     */
    public ReceptiveField.Field headField(int head) {
        return headFields[head];
    }

    /** The IoU at which this model's training matched a prior to an object (pytorch-ssd: 0.5). */
    public double matchThreshold() {
        return spec.post().matchThreshold();
    }

    /**
     * Every prior as corners relative to a {@code width x height} image ({@code [priors, 4]}), in
     * the raw output order: what decoding all-zero offsets gives, so that it holds for any
     * decoder without running the network (dataset coverage, queries before a pass).
     */
    public float[] priorBoxes(int width, int height) {
        Map<String, float[]> zeros = new LinkedHashMap<>();
        graph.outputs().forEach((k, v) -> zeros.put(k, new float[(int) v.elements()]));
        return spec.post().decoder(tree, layout, spec.input().factors(width, height)).decode(zeros, layout).priors();
    }

    public int classes() {
        return classes;
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

    /** Module paths whose output here means something else than in other models (see {@link ModelFormat.Opened}). */
    public Set<String> notComparable() {
        return notComparable;
    }

    public int inputSize() {
        return spec.input().size();
    }

    /** The IoU threshold of the model's own NMS (pytorch-ssd 0.45, face-api 0.5). */
    public double defaultIou() {
        return spec.post().defaultIou();
    }

    public int candidates() {
        return spec.post().candidates();
    }

    /** The network input for an image, as this model's preprocessing makes it ({@code S x S x 3}, channels last). */
    public float[] input(LoadedImage img) {
        return spec.input().apply(img);
    }

    /** A fast pass (batch norm folded, buffers reused, nothing kept). */
    public DetectorOutput detect(LoadedImage img) {
        return detect(img, null);
    }

    public DetectorOutput detect(LoadedImage img, BooleanSupplier cancelled) {
        return output(executor.fast(input(img), cancelled), img);
    }

    /** A fast pass on an input already made (benchmarks: preprocessing left out). */
    public DetectorOutput detectInput(float[] input, LoadedImage img) {
        return output(executor.fast(input, null), img);
    }

    /**
     * An inspect pass: every module's output readable afterwards (the fused ops' outputs kept, a
     * convolution's own output and its batch norm's computed again from the kept input when read);
     * {@code observer} sees each event as it happens.
     */
    public Inspection inspect(LoadedImage img, ModuleObserver observer, BooleanSupplier cancelled) {
        return inspectInput(input(img), img, observer, cancelled);
    }

    public Inspection inspectInput(float[] input, LoadedImage img, ModuleObserver observer, BooleanSupplier cancelled) {
        return inspect(Mode.INSPECT, input, img, observer, cancelled);
    }

    /**
     * An inspect pass for analyses that read every module's output (compare, stats): the unfused
     * graph, every module's own value held in memory of its own so that none is computed a second
     * time when read (the default model: 147 MB of buffers against the inspect pass's 53 MB); its
     * figures agree with {@link #inspect}'s within the fused arithmetic's rounding.
     */
    public Inspection inspectAll(LoadedImage img, ModuleObserver observer, BooleanSupplier cancelled) {
        return inspectAllInput(input(img), img, observer, cancelled);
    }

    /** {@link #inspectAll} on an input already made (benchmarks: preprocessing left out). */
    public Inspection inspectAllInput(float[] input, LoadedImage img, ModuleObserver observer,
                                      BooleanSupplier cancelled) {
        return inspect(Mode.INSPECT_ALL, input, img, observer, cancelled);
    }

    private Inspection inspect(Mode mode, float[] input, LoadedImage img, ModuleObserver observer,
                               BooleanSupplier cancelled) {
        LinkedHashMap<String, ModuleEvent> events = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        Activations act = executor.inspect(mode, input, (run, nanos, fused) -> {
            ModuleEvent e = new ModuleEvent(run.path(), run.type(), run.input().chw(), run.output().chw(), nanos,
                    fused);
            events.put(run.path(), e);
            if (observer != null) {
                observer.onModule(e);
            }
        }, cancelled);
        long nanos = System.nanoTime() - t0;
        try {
            return new Inspection(this, img, act, events, output(act.outputs(), img), nanos);
        } catch (RuntimeException e) {
            act.close();
            throw e;
        }
    }

    private DetectorOutput output(Map<String, float[]> raw, LoadedImage img) {
        double[] f = spec.input().factors(img.width(), img.height());
        Decoded d = spec.post().decoder(tree, layout, f).decode(raw, layout);
        return new DetectorOutput(this, d, raw, img, f);
    }

    /** The executor (benchmarks read its buffer sizes). */
    public Executor executor() {
        return executor;
    }
}

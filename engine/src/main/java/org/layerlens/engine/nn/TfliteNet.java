package org.layerlens.engine.nn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.PathStyle;
import org.layerlens.engine.graph.Tracer;
import org.layerlens.engine.graph.Value;
import org.layerlens.engine.io.TfliteModel;

/**
 * A network read from a .tflite file, as a module tree built from TensorFlow's name scopes
 * ({@link TfScopes}): {@link TfScope}s holding {@link TfliteLayer}s, in the order they run. Only
 * the operators the chosen outputs need are kept (an SSD's reshapes and concatenations after its
 * head convolutions are left out, so that the heads' maps are the outputs {@code cls.i} /
 * {@code reg.i}). The order is the file's, regrouped so that each scope's operators run together
 * (a scope whose operators cannot be grouped, because it reads and feeds another in between, is
 * traced in the file's order and has no output of its own). Tracing replays the operators through
 * the {@link Tracer} ({@link TfliteOps}) and checks every shape against the file.
 */
public final class TfliteNet extends Detector {
    private final TfliteModel model;
    private final int input;
    private final LinkedHashMap<String, Integer> outputs;
    private final List<String> sources;
    private final Set<String> interleaved;
    private final Map<String, Integer> outputTensor = new HashMap<>();

    private TfliteNet(TfliteModel model, int input, LinkedHashMap<String, Integer> outputs,
                      LinkedHashMap<String, Module> top, Set<String> interleaved, List<Integer> sourceTensors) {
        this.model = model;
        this.input = input;
        this.outputs = new LinkedHashMap<>(outputs);
        this.interleaved = Set.copyOf(interleaved);
        top.forEach(this::add);
        assignPaths("", PathStyle.SCOPED);
        for (Module m : modules()) {
            if (m instanceof TfliteLayer l) {
                List<TfliteModel.Operator> ops = l.operators();
                outputTensor.put(m.path(), ops.get(ops.size() - 1).outputs()[0]);
            }
        }
        List<String> src = new ArrayList<>();
        for (int t : sourceTensors) {
            src.add(pathOf(t));
        }
        this.sources = List.copyOf(src);
    }

    /**
     * The tree of {@code model} computing {@code outputs} (graph output name -> tensor index);
     * {@code sourceTensors}: the maps the heads read, largest first (empty for other networks).
     * Throws IllegalArgumentException naming the operator for anything LayerLens cannot run.
     */
    public static TfliteNet of(TfliteModel model, LinkedHashMap<String, Integer> outputs, List<Integer> sourceTensors) {
        List<TfliteModel.Operator> needed = needed(model, outputs.values());
        for (TfliteModel.Operator op : needed) {
            TfliteOps.check(model, op);
        }
        int input = input(model, needed);
        Map<TfliteModel.Operator, String> leafOf = TfScopes.assign(model, needed);
        Node root = new Node("");
        for (TfliteModel.Operator op : needed) {
            Node n = root;
            for (String name : PathStyle.SCOPED.split(leafOf.get(op))) {
                n = n.children.computeIfAbsent(name, k -> new Node(k));
            }
            n.ops.add(op);
        }
        Set<String> interleaved = new HashSet<>();
        LinkedHashMap<String, Module> top = new LinkedHashMap<>();
        for (Node c : root.order(model, "", interleaved)) {
            top.put(c.name, c.build(model, c.name, interleaved));
        }
        return new TfliteNet(model.withoutValues(copiedWeights(needed)), input, outputs, top, interleaved,
                sourceTensors);
    }

    /**
     * The convolution weights its layers now hold in PyTorch's layout (a copy: {@link TfliteOps#weight}),
     * which no operator reads as anything else: tracing reads the layers' copies.
     */
    private static Set<Integer> copiedWeights(List<TfliteModel.Operator> ops) {
        Set<Integer> weights = new HashSet<>();
        Set<Integer> readOtherwise = new HashSet<>();
        for (TfliteModel.Operator op : ops) {
            boolean conv = op.kind().equals("CONV_2D") || op.kind().equals("DEPTHWISE_CONV_2D");
            for (int k = 0; k < op.inputs().length; k++) {
                (conv && k == 1 ? weights : readOtherwise).add(op.inputs()[k]);
            }
        }
        weights.removeAll(readOtherwise);
        return weights;
    }

    /** The operators the outputs depend on, in the file's order. */
    private static List<TfliteModel.Operator> needed(TfliteModel model, java.util.Collection<Integer> outs) {
        Map<Integer, TfliteModel.Operator> producer = model.producers();
        Set<TfliteModel.Operator> keep = new HashSet<>();
        Deque<Integer> todo = new ArrayDeque<>(outs);
        while (!todo.isEmpty()) {
            TfliteModel.Operator op = producer.get(todo.pop());
            if (op != null && keep.add(op)) {
                for (int t : op.inputs()) {
                    if (t >= 0) {
                        todo.push(t);
                    }
                }
            }
        }
        List<TfliteModel.Operator> out = new ArrayList<>();
        for (TfliteModel.Operator op : model.operators()) {
            if (keep.contains(op)) {
                out.add(op);
            }
        }
        return out;
    }

    /** The one graph input the kept operators read. */
    private static int input(TfliteModel model, List<TfliteModel.Operator> ops) {
        Set<Integer> made = new HashSet<>();
        Set<Integer> read = new java.util.TreeSet<>();
        for (TfliteModel.Operator op : ops) {
            for (int t : op.inputs()) {
                if (t >= 0 && !made.contains(t) && !model.tensor(t).constant()) {
                    read.add(t);
                }
            }
            made.add(op.outputs()[0]);
        }
        for (int t : read) {
            if (Arrays.stream(model.inputs()).noneMatch(i -> i == t)) {
                throw new IllegalArgumentException("tensor " + t + " \"" + model.tensor(t).opName()
                        + "\" is read but neither computed, constant, nor an input");
            }
        }
        if (read.size() != 1) {
            throw new IllegalArgumentException("the network reads " + read.size() + " inputs; LayerLens runs "
                    + "networks with one image input");
        }
        int in = read.iterator().next();
        int[] shape = model.tensor(in).shape();
        if (shape.length == 4 && shape[0] != 1) {
            throw new IllegalArgumentException("the input \"" + model.tensor(in).opName() + "\" has batch size "
                    + shape[0] + "; LayerLens runs one image at a time");
        }
        return in;
    }

    /** A scope or a leaf while the tree is put together. */
    private static final class Node {
        final String name;
        final LinkedHashMap<String, Node> children = new LinkedHashMap<>();
        final List<TfliteModel.Operator> ops = new ArrayList<>();

        Node(String name) {
            this.name = name;
        }

        List<TfliteModel.Operator> all() {
            List<TfliteModel.Operator> out = new ArrayList<>(ops);
            for (Node c : children.values()) {
                out.addAll(c.all());
            }
            return out;
        }

        int first() {
            return all().stream().mapToInt(TfliteModel.Operator::index).min().orElse(Integer.MAX_VALUE);
        }

        /**
         * The children in an order that runs: a child goes after every child it reads from, ties
         * broken by the file's order (Kahn's algorithm). If they cannot be ordered, this scope is
         * marked interleaved and the file's order is kept.
         */
        List<Node> order(TfliteModel model, String path, Set<String> interleaved) {
            List<Node> kids = new ArrayList<>(children.values());
            kids.sort(Comparator.comparingInt(Node::first));
            Map<Integer, Node> madeBy = new HashMap<>();
            for (Node k : kids) {
                for (TfliteModel.Operator op : k.all()) {
                    madeBy.put(op.outputs()[0], k);
                }
            }
            Map<Node, Set<Node>> after = new HashMap<>();
            for (Node k : kids) {
                Set<Node> deps = new HashSet<>();
                for (TfliteModel.Operator op : k.all()) {
                    for (int t : op.inputs()) {
                        Node d = madeBy.get(t);
                        if (d != null && d != k) {
                            deps.add(d);
                        }
                    }
                }
                after.put(k, deps);
            }
            List<Node> out = new ArrayList<>();
            Set<Node> done = new HashSet<>();
            while (out.size() < kids.size()) {
                Node next = null;
                for (Node k : kids) {
                    if (!done.contains(k) && done.containsAll(after.get(k))) {
                        next = k;
                        break;
                    }
                }
                if (next == null) {
                    interleaved.add(path);
                    return kids;
                }
                out.add(next);
                done.add(next);
            }
            return out;
        }

        Module build(TfliteModel model, String path, Set<String> interleaved) {
            if (!ops.isEmpty()) {
                if (!children.isEmpty()) {
                    throw new IllegalArgumentException("\"" + path + "\" names both an operator and a scope "
                            + "holding others (" + model.where(ops.get(0)) + ")");
                }
                return new TfliteLayer(model, ops);
            }
            LinkedHashMap<String, Module> built = new LinkedHashMap<>();
            for (Node c : order(model, path, interleaved)) {
                built.put(c.name, c.build(model, PathStyle.SCOPED.join(path, c.name), interleaved));
            }
            return new TfScope(built);
        }
    }

    // ---------------------------------------------------------------- the Detector side

    public TfliteModel model() {
        return model;
    }

    /** The TFLite tensor a module's output is (its last operator's), or -1 for scopes. */
    public int tensorOf(String path) {
        return outputTensor.getOrDefault(path, -1);
    }

    /** The module whose output is {@code tensor} (the leaf that computes it). */
    public String pathOf(int tensor) {
        for (Map.Entry<String, Integer> e : outputTensor.entrySet()) {
            if (e.getValue() == tensor) {
                return e.getKey();
            }
        }
        for (Module m : modules()) {
            if (m instanceof TfliteLayer l) {
                for (TfliteModel.Operator op : l.operators()) {
                    if (op.outputs()[0] == tensor) {
                        return m.path();
                    }
                }
            }
        }
        throw new IllegalArgumentException("no module computes tensor " + tensor);
    }

    /** The input tensor's shape without the batch dimension. */
    public int[] inputDims() {
        return TfliteOps.valueDims(model.tensor(input).shape());
    }

    @Override
    public List<String> sourcePaths() {
        return sources;
    }

    /** The deepest scope holding every source (FeatureExtractor/MobilenetV2 for TF's SSDs); the root without sources. */
    @Override
    public Module trunk() {
        if (sources.isEmpty()) {
            return this;
        }
        PathStyle s = pathStyle();
        String common = s.parent(sources.get(0));
        for (String src : sources) {
            while (!s.within(src, common) || common.equals(src)) {
                common = s.parent(common);
            }
        }
        Module m = find(common);
        return m == null ? this : m;
    }

    @Override
    public List<Module> afterTrunk() {
        return List.of();
    }

    @Override
    public String rootName() {
        return "TFLite";
    }

    @Override
    public Graph trace(int size) {
        int[] d = inputDims();
        if (d.length != 3 || d[0] != size || d[1] != size) {
            throw new IllegalArgumentException("the model's input is " + Arrays.toString(d) + ", not " + size + "x"
                    + size + " pixels");
        }
        return trace();
    }

    /** Records the network on the input shape the file declares. */
    public Graph trace() {
        Tracer t = new Tracer(PathStyle.SCOPED);
        Value[] values = new Value[model.tensors().size()];
        values[input] = t.input(inputDims());
        if (interleaved.contains("")) {
            runInFileOrder(this, values, t);
        } else {
            for (Module m : children().values()) {
                run(m, values, t);
            }
        }
        for (Map.Entry<String, Integer> e : outputs.entrySet()) {
            Value v = values[e.getValue()];
            if (v == null) {
                throw new IllegalArgumentException("output " + e.getKey() + " (tensor " + e.getValue() + ") is not computed");
            }
            t.output(e.getKey(), v);
        }
        return t.finish();
    }

    /** Traces a module; returns {input, output} of its run. */
    private Value[] run(Module m, Value[] values, Tracer t) {
        if (m instanceof TfliteLayer l) {
            int first = t.begin(m.path());
            Value in = values[l.operators().get(0).inputs()[0]];
            Value out = null;
            for (int k = 0; k < l.operators().size(); k++) {
                out = TfliteOps.emit(model, l, k, values, t);
            }
            t.end(m.path(), m.typeName(), in, out, first);
            return new Value[] {in, out};
        }
        if (interleaved.contains(m.path())) {
            return runInFileOrder(m, values, t);
        }
        int first = t.begin(m.path());
        Value in = null;
        Value out = null;
        for (Module c : m.children().values()) {
            Value[] r = run(c, values, t);
            in = in == null ? r[0] : in;
            out = r[1];
        }
        t.end(m.path(), m.typeName(), in, out, first);
        return new Value[] {in, out};
    }

    /** An interleaved scope: its operators in the file's order, each run as its leaf; the scope itself has no run. */
    private Value[] runInFileOrder(Module scope, Value[] values, Tracer t) {
        List<Object[]> steps = new ArrayList<>();
        for (Module m : scope.modules()) {
            if (m instanceof TfliteLayer l) {
                for (int k = 0; k < l.operators().size(); k++) {
                    steps.add(new Object[] {l, k});
                }
            }
        }
        steps.sort(Comparator.comparingInt(s -> ((TfliteLayer) s[0]).operators().get((int) s[1]).index()));
        Value in = null;
        Value out = null;
        for (Object[] s : steps) {
            TfliteLayer l = (TfliteLayer) s[0];
            int k = (int) s[1];
            int first = t.begin(l.path());
            Value x = values[l.operators().get(k).inputs()[0]];
            out = TfliteOps.emit(model, l, k, values, t);
            t.end(l.path(), l.typeName(), x, out, first);
            in = in == null ? x : in;
        }
        return new Value[] {in, out};
    }
}

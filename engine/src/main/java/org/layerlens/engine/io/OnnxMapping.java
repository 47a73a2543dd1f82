package org.layerlens.engine.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.layerlens.engine.arch.ArchitectureSpec;
import org.layerlens.engine.arch.Architectures;
import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.Op;
import org.layerlens.engine.graph.Value;
import org.layerlens.engine.nn.BatchNorm2d;
import org.layerlens.engine.nn.Conv2d;
import org.layerlens.engine.nn.Detector;
import org.layerlens.engine.nn.Module;

/**
 * Maps an ONNX export of a pytorch-ssd model onto the module tree by data flow: both the ONNX
 * graph and the tree's traced graph are put into {@link DataFlowOrder} (independent of the order
 * nodes are listed in, which differs between pytorch-ssd's own export and ours), and their
 * convolutions and batch norms are then paired one by one, every weight shape, group, stride,
 * padding and dilation checked. Where the export folded a batch norm into the convolution before
 * it, that BatchNorm2d becomes the identity plus the folded bias, and the convolution's own output
 * is marked as having no counterpart in other models (it already includes the batch norm).
 * Exports with softmax and box decoding inside the graph ({@code is_test=True}) are read the same
 * way: only what feeds the scores and boxes is followed.
 */
final class OnnxMapping {
    private OnnxMapping() {
    }

    static ModelFormat.Opened map(Path file, OnnxReader.Graph g) throws CheckpointException {
        List<DataFlowOrder.Node> onnxNodes = new ArrayList<>();
        for (int i = 0; i < g.nodes().size(); i++) {
            OnnxReader.Node n = g.nodes().get(i);
            onnxNodes.add(new DataFlowOrder.Node(i, n.inputs(), n.outputs(), onnxRank(n.op()), onnxKey(n, g)));
        }
        Set<String> inputs = new LinkedHashSet<>(g.inputs());
        inputs.removeAll(g.constants().keySet());
        List<String> outs = g.outputs();
        if (outs.size() < 2) {
            throw new CheckpointException(file, "ONNX graph has " + outs.size() + " output(s); an SSD export has "
                    + "two (scores and boxes)");
        }
        String[] roles = roles(outs);
        List<DataFlowOrder.Node> order = DataFlowOrder.order(onnxNodes, inputs, g.constants().keySet(),
                Set.of(roles[0]), Set.of(roles[1]));
        List<OnnxReader.Node> params = new ArrayList<>();
        for (DataFlowOrder.Node n : order) {
            OnnxReader.Node on = g.nodes().get(n.index());
            if (on.op().equals("Conv") || on.op().equals("BatchNormalization")) {
                params.add(on);
            }
        }
        List<OnnxReader.Node> onnxConvs = params.stream().filter(n -> n.op().equals("Conv")).toList();
        List<String> tried = new ArrayList<>();
        for (ArchitectureSpec spec : Architectures.all()) {
            if (!spec.origin().equals("pytorch-ssd")) {
                continue;
            }
            List<Op> probe = paramOps(spec.build(2), spec);
            List<Op> probeConvs = probe.stream().filter(o -> o instanceof Op.Conv).toList();
            if (probeConvs.size() != onnxConvs.size()) {
                tried.add(spec.name() + " has " + probeConvs.size() + " convolutions");
                continue;
            }
            int headAt = indexOfHead(spec.build(2), spec, probeConvs);
            TensorData w = weight(file, g, onnxConvs.get(headAt));
            long c = w.shape()[0];
            if (c % spec.classAnchors() != 0 || c < 2L * spec.classAnchors()) {
                tried.add(spec.name() + ": its first class head would have " + c + " channels");
                continue;
            }
            int classes = (int) (c / spec.classAnchors());
            Detector tree = spec.build(classes);
            try {
                List<String> notes = new ArrayList<>();
                Set<String> folded = new LinkedHashSet<>();
                StateDict sd = pair(file, g, tree, paramOps(tree, spec), params, folded);
                notes.add(String.format(Locale.ROOT, "ONNX export: %d convolutions and %d batch norms paired with %s "
                        + "by data flow%s", onnxConvs.size(), params.size() - onnxConvs.size(), spec.name(),
                        folded.isEmpty() ? "" : "; " + folded.size() + " batch norms were folded into the convolution "
                        + "before them, so each of those BatchNorm2d shows the identity plus the folded bias, and "
                        + "the Conv2d before it has no separate pre-norm output"));
                return new ModelFormat.Opened(sd, spec.name(), folded, notes);
            } catch (Mismatch e) {
                tried.add(spec.name() + ": " + e.getMessage());
            }
        }
        throw new CheckpointException(file, "ONNX graph with " + onnxConvs.size() + " convolutions fits no known "
                + "architecture (" + String.join("; ", tried) + ")");
    }

    /** [scores output, boxes output]: by name when the export names them, else in order. */
    private static String[] roles(List<String> outs) {
        String scores = null;
        String boxes = null;
        for (String o : outs) {
            String l = o.toLowerCase(Locale.ROOT);
            if (scores == null && (l.contains("score") || l.contains("conf"))) {
                scores = o;
            } else if (boxes == null && (l.contains("box") || l.contains("loc"))) {
                boxes = o;
            }
        }
        if (scores == null || boxes == null) {
            return new String[] {outs.get(0), outs.get(1)};
        }
        return new String[] {scores, boxes};
    }

    private static final class Mismatch extends Exception {
        Mismatch(String m) {
            super(m);
        }
    }

    /** The tree's convolutions and batch norms in data-flow order. */
    private static List<Op> paramOps(Detector tree, ArchitectureSpec spec) {
        Graph g = tree.trace(spec.input().size());
        List<DataFlowOrder.Node> nodes = new ArrayList<>();
        for (int i = 0; i < g.ops().size(); i++) {
            Op op = g.ops().get(i);
            nodes.add(new DataFlowOrder.Node(i, op.inputs().stream().map(OnnxMapping::name).toList(),
                    List.of(name(op.output())), irRank(op), irKey(op)));
        }
        Set<String> scores = new HashSet<>();
        Set<String> boxes = new HashSet<>();
        g.outputs().forEach((k, v) -> (k.startsWith("cls") ? scores : boxes).add(name(v)));
        List<Op> out = new ArrayList<>();
        for (DataFlowOrder.Node n : DataFlowOrder.order(nodes, Set.of(name(g.input())), Set.of(), scores, boxes)) {
            Op op = g.ops().get(n.index());
            if (op instanceof Op.Conv || op instanceof Op.Affine && tree.find(op.path()) instanceof BatchNorm2d) {
                out.add(op);
            }
        }
        return out;
    }

    private static int indexOfHead(Detector tree, ArchitectureSpec spec, List<Op> convs) {
        Graph g = tree.trace(spec.input().size());
        Value cls0 = g.outputs().get("cls.0");
        for (int i = 0; i < convs.size(); i++) {
            if (convs.get(i).output().id() == cls0.id()) {
                return i;
            }
        }
        throw new IllegalStateException("cls.0 is not produced by a convolution in " + spec.name());
    }

    private static String name(Value v) {
        return "v" + v.id();
    }

    /** The same rank for the same kind of op on both sides, so ties break alike. */
    private static int irRank(Op op) {
        if (op instanceof Op.Conv) {
            return 0;
        }
        if (op instanceof Op.Affine) {
            return 1;
        }
        if (op instanceof Op.Act) {
            return 2;
        }
        if (op instanceof Op.Pool || op instanceof Op.GlobalAvgPool) {
            return 3;
        }
        if (op instanceof Op.Add) {
            return 4;
        }
        if (op instanceof Op.Mul) {
            return 5;
        }
        if (op instanceof Op.Concat) {
            return 6;
        }
        return 7;
    }

    private static int onnxRank(String op) {
        return switch (op) {
            case "Conv" -> 0;
            case "BatchNormalization" -> 1;
            case "Relu", "Clip", "HardSwish", "HardSigmoid", "Sigmoid" -> 2;
            case "MaxPool", "AveragePool", "GlobalAveragePool", "ReduceMean" -> 3;
            case "Add" -> 4;
            case "Mul" -> 5;
            case "Concat" -> 6;
            default -> 7;
        };
    }

    private static String irKey(Op op) {
        return op instanceof Op.Conv c ? "k" + c.kernelH() : "";
    }

    private static String onnxKey(OnnxReader.Node n, OnnxReader.Graph g) {
        if (!n.op().equals("Conv")) {
            return "";
        }
        List<Long> k = n.ints().get("kernel_shape");
        if (k != null && !k.isEmpty()) {
            return "k" + k.get(0);
        }
        TensorData w = n.inputs().size() > 1 ? g.constants().get(n.inputs().get(1)) : null;
        return w != null && w.shape().length == 4 ? "k" + w.shape()[2] : "";
    }

    private static TensorData weight(Path file, OnnxReader.Graph g, OnnxReader.Node n) throws CheckpointException {
        TensorData w = n.inputs().size() > 1 ? g.constants().get(n.inputs().get(1)) : null;
        if (w == null || w.shape().length != 4) {
            throw new CheckpointException(file, n.describe() + " has no 4-d weight initializer");
        }
        return w;
    }

    /** Pairs our convolutions and batch norms with the export's, in data-flow order. */
    private static StateDict pair(Path file, OnnxReader.Graph g, Detector tree, List<Op> ours,
                                  List<OnnxReader.Node> theirs, Set<String> folded)
            throws Mismatch, CheckpointException {
        LinkedHashMap<String, TensorData> t = new LinkedHashMap<>();
        int j = 0;
        Conv2d lastConv = null;
        TensorData lastBias = null;
        for (Op op : ours) {
            Module m = tree.find(op.path());
            if (m instanceof Conv2d conv) {
                if (j >= theirs.size() || !theirs.get(j).op().equals("Conv")) {
                    throw new Mismatch(conv.path() + " has no matching Conv in the export (found "
                            + (j < theirs.size() ? theirs.get(j).describe() : "the end") + ")");
                }
                OnnxReader.Node n = theirs.get(j++);
                checkConv(file, g, n, conv);
                t.put(conv.path() + ".weight", weight(file, g, n));
                lastBias = n.inputs().size() > 2 && !n.inputs().get(2).isEmpty() ? g.constants().get(n.inputs().get(2))
                        : null;
                lastConv = conv;
                if (conv.bias) {
                    t.put(conv.path() + ".bias", lastBias != null ? lastBias : zeros(conv.out));
                }
            } else if (m instanceof BatchNorm2d bn) {
                if (j < theirs.size() && theirs.get(j).op().equals("BatchNormalization")) {
                    batchNorm(file, g, theirs.get(j++), bn, t);
                } else {
                    if (lastConv == null) {
                        throw new Mismatch(bn.path() + " follows no convolution and the export has no batch norm there");
                    }
                    // the folded bias went into the conv's own bias if it has one, else it is the norm's shift
                    identity(t, bn, lastConv.bias || lastBias == null ? zeros(bn.features) : lastBias);
                    folded.add(lastConv.path());
                }
            }
        }
        if (j != theirs.size()) {
            throw new Mismatch("the export has " + (theirs.size() - j) + " more convolutions or batch norms");
        }
        return new StateDict(file, t);
    }

    private static void checkConv(Path file, OnnxReader.Graph g, OnnxReader.Node n, Conv2d conv)
            throws Mismatch, CheckpointException {
        TensorData w = weight(file, g, n);
        long[] want = conv.params().get("weight").shape();
        List<Long> strides = n.ints().getOrDefault("strides", List.of(1L, 1L));
        List<Long> pads = n.ints().getOrDefault("pads", List.of(0L, 0L, 0L, 0L));
        List<Long> dil = n.ints().getOrDefault("dilations", List.of(1L, 1L));
        long group = n.intAttr("group", 1);
        boolean ok = Arrays.equals(want, w.shape()) && group == conv.groups
                && strides.stream().allMatch(s -> s == conv.stride) && pads.stream().allMatch(p -> p == conv.padding)
                && dil.stream().allMatch(d -> d == conv.dilation);
        if (!ok) {
            throw new Mismatch(n.describe() + " has weight " + TensorData.torchSize(w.shape()) + ", group " + group
                    + ", strides " + strides + ", pads " + pads + ", dilations " + dil + " but " + conv.path()
                    + " needs " + TensorData.torchSize(want) + ", group " + conv.groups + ", stride " + conv.stride
                    + ", padding " + conv.padding + ", dilation " + conv.dilation);
        }
    }

    /** An unfolded BatchNormalization; its epsilon goes into running_var (our eps is the module's). */
    private static void batchNorm(Path file, OnnxReader.Graph g, OnnxReader.Node n, BatchNorm2d bn,
                                  Map<String, TensorData> t) throws Mismatch, CheckpointException {
        if (n.inputs().size() < 5) {
            throw new CheckpointException(file, n.describe() + " lacks its scale/bias/mean/var inputs");
        }
        TensorData[] p = new TensorData[4];
        for (int i = 0; i < 4; i++) {
            p[i] = g.constants().get(n.inputs().get(i + 1));
            if (p[i] == null) {
                throw new CheckpointException(file, n.describe() + " input '" + n.inputs().get(i + 1)
                        + "' is not an initializer");
            }
            if (p[i].shape().length != 1 || p[i].shape()[0] != bn.features) {
                throw new Mismatch(n.describe() + " has " + p[i] + " for " + bn.path() + " of " + bn.features
                        + " features");
            }
        }
        double eps = n.floats().getOrDefault("epsilon", 1e-5);
        float[] var = p[3].data().clone();
        for (int i = 0; i < var.length; i++) {
            var[i] = (float) (var[i] + eps - bn.eps);
        }
        t.put(bn.path() + ".weight", p[0]);
        t.put(bn.path() + ".bias", p[1]);
        t.put(bn.path() + ".running_mean", p[2]);
        t.put(bn.path() + ".running_var", new TensorData(p[3].shape(), var, "float32"));
    }

    private static TensorData zeros(int n) {
        return new TensorData(new long[] {n}, new float[n], "float32");
    }

    private static void identity(Map<String, TensorData> t, BatchNorm2d bn, TensorData shift) {
        int c = bn.features;
        float[] ones = new float[c];
        float[] var = new float[c];
        Arrays.fill(ones, 1f);
        Arrays.fill(var, (float) (1.0 - bn.eps)); // var + eps = 1: the scale is 1
        long[] s = {c};
        t.put(bn.path() + ".weight", new TensorData(s, ones, "float32"));
        t.put(bn.path() + ".bias", shift);
        t.put(bn.path() + ".running_mean", new TensorData(s, new float[c], "float32"));
        t.put(bn.path() + ".running_var", new TensorData(s, var, "float32"));
    }
}

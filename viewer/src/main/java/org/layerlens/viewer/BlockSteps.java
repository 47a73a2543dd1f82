package org.layerlens.viewer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.layerlens.engine.graph.Activation;
import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.Op;
import org.layerlens.engine.graph.Value;

/**
 * A block of the network as the steps a teacher draws on the board, derived from the traced
 * graph rather than from a table per architecture: every convolution starts a step, the batch
 * norm and activation that follow it on the same tensor join it, and an add that takes the
 * block's own input is its residual connection. So MobileNetV1's depthwise-separable block
 * (depthwise 3x3 -> pointwise 1x1), MobileNetV2's inverted residual (expand 1x1 -> depthwise 3x3
 * -> linear project 1x1, + input), face-api's {@code conv_N} pairs and TFLite's
 * {@code expanded_conv} blocks all come out of the same rules.
 * <p>
 * The block shown for a selected module is its largest enclosing module that runs at most
 * {@link #MAX_CONVS} convolutions (the selected leaf's InvertedResidual, not just its
 * {@code conv} Sequential); a module running more is a stage, not a block.
 */
public final class BlockSteps {
    /** More convolutions than this make a stage of blocks, not a block. */
    public static final int MAX_CONVS = 6;

    /** A tensor of the diagram: the value, and a module whose output it is (null when none is). */
    public record Tensor(Value value, String module) {
        /** PyTorch's {@code [C, H, W]}. */
        public int[] chw() {
            return value.chw();
        }
    }

    /**
     * One step: what it does ({@code "depthwise 3x3"}), details (channels, stride, what follows it),
     * its multiply-adds, the tensors it reads and writes (indices into {@link Block#tensors()}),
     * the leaf modules that emitted its ops, and for a depthwise convolution what an ordinary
     * convolution of the same shapes would cost (0 otherwise): the saving MobileNets are built on.
     */
    public record Step(String kind, String detail, long macs, List<Integer> inputs, int output, List<String> modules,
                       long denseMacs) {
    }

    /**
     * A block: its module, type, tensors (the input first), steps in order, whether it adds its
     * input back (residual), and its multiply-adds. {@code note} says why there is no diagram when
     * {@code steps} is empty.
     */
    public record Block(String path, String type, List<Tensor> tensors, List<Step> steps, boolean residual, long macs,
                        String note) {
        static Block none(String path, String note) {
            return new Block(path, "", List.of(), List.of(), false, 0, note);
        }
    }

    private BlockSteps() {
    }

    /** The block around the module at {@code path}. */
    public static Block around(Graph g, String path) {
        String best = null;
        for (String p : Graph.ancestors(path)) {
            if (g.module(p) == null && !p.isEmpty()) {
                continue; // a ModuleList holds modules but never runs
            }
            int convs = (int) ops(g, p).stream().filter(o -> o instanceof Op.Conv || o instanceof Op.Dense).count();
            if (convs > MAX_CONVS) {
                if (best == null) {
                    return Block.none(path, String.format(Locale.ROOT, "%s runs %d convolutions: a stage, not a block. "
                            + "Select one of its blocks to see its steps.", p.isEmpty() ? "The network" : p, convs));
                }
                break;
            }
            if (convs > 0 && g.module(p) != null) {
                best = p;
            }
        }
        if (best == null) {
            return Block.none(path, path + " runs no convolution.");
        }
        return of(g, best);
    }

    /** The steps of the module at {@code path} (which must have run). */
    public static Block of(Graph g, String path) {
        Graph.ModuleRun run = g.module(path);
        List<List<Op>> groups = new ArrayList<>();
        List<Op> current = new ArrayList<>();
        List<Op> pads = new ArrayList<>();
        boolean residual = false;
        for (Op op : ops(g, path)) {
            boolean joins = !current.isEmpty() && (op instanceof Op.Affine || op instanceof Op.Act)
                    && op.inputs().get(0).id() == last(current).output().id();
            if (joins) {
                current.add(op);
                continue;
            }
            if (op instanceof Op.Pad) {
                pads.add(op);
                continue;
            }
            if (!current.isEmpty()) {
                groups.add(current);
            }
            current = new ArrayList<>(pads);
            pads.clear();
            current.add(op);
            if (op instanceof Op.Add a && (a.a().id() == run.input().id() || a.b().id() == run.input().id())) {
                residual = true;
            }
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        List<Tensor> tensors = new ArrayList<>();
        tensors.add(tensor(g, run.input()));
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            steps.add(step(g, groups.get(i), kind(groups, i), tensors));
        }
        long macs = steps.stream().mapToLong(Step::macs).sum();
        return new Block(path, run.type(), List.copyOf(tensors), List.copyOf(steps), residual, macs, "");
    }

    /** The ops a module emitted itself or through its descendants (not a head run in between). */
    static List<Op> ops(Graph g, String path) {
        Graph.ModuleRun run = g.module(path);
        if (run == null) {
            return path.isEmpty() ? g.ops() : List.of(); // the root is traced whole, without a run of its own
        }
        List<Op> out = new ArrayList<>();
        for (int i = run.firstOp(); i < run.endOp(); i++) {
            Op op = g.ops().get(i);
            if (g.style().within(op.path(), path)) {
                out.add(op);
            }
        }
        return out;
    }

    private static Op last(List<Op> ops) {
        return ops.get(ops.size() - 1);
    }

    /** The op a step is named after: its first that is not padding. */
    private static Op main(List<Op> ops) {
        return ops.stream().filter(o -> !(o instanceof Op.Pad)).findFirst().orElse(ops.get(0));
    }

    private static Step step(Graph g, List<Op> ops, String kind, List<Tensor> tensors) {
        Op main = main(ops);
        Op end = last(ops);
        List<Integer> inputs = new ArrayList<>();
        for (Value v : main.inputs()) {
            int i = indexOf(tensors, v);
            if (i < 0) {
                tensors.add(tensor(g, v)); // a value from outside the block (a second input)
                i = tensors.size() - 1;
            }
            inputs.add(i);
        }
        Op first = ops.get(0);
        if (first instanceof Op.Pad && inputs.isEmpty()) {
            inputs.add(indexOf(tensors, first.inputs().get(0)));
        }
        tensors.add(tensor(g, end.output()));
        long macs = ops.stream().mapToLong(Op::macs).sum();
        List<String> modules = ops.stream().map(Op::path).distinct().toList();
        long dense = main instanceof Op.Conv c && c.depthwise() ? c.macs() * c.in() : 0;
        return new Step(kind, detail(ops, main), macs, List.copyOf(inputs), tensors.size() - 1, modules, dense);
    }

    private static int indexOf(List<Tensor> tensors, Value v) {
        for (int i = tensors.size() - 1; i >= 0; i--) {
            if (tensors.get(i).value().id() == v.id()) {
                return i;
            }
        }
        return -1;
    }

    /** The tensor and a module whose whole output it is (so the window can show its values). */
    private static Tensor tensor(Graph g, Value v) {
        if (v.id() == g.input().id()) {
            return new Tensor(v, "input");
        }
        String best = null;
        for (Graph.ModuleRun m : g.modules()) {
            if (m.output().id() == v.id() && (best == null || m.path().length() > best.length())) {
                best = m.path(); // the deepest module: the leaf that made it
            }
        }
        return new Tensor(v, best);
    }

    /**
     * What step {@code i} does. A 1x1 convolution is named by its place: "expand" before a
     * depthwise convolution, "project (linear)" after one when it narrows the tensor without an
     * activation (MobileNetV2), "pointwise" otherwise (MobileNetV1's second half).
     */
    private static String kind(List<List<Op>> groups, int i) {
        List<Op> ops = groups.get(i);
        Op main = main(ops);
        if (main instanceof Op.Conv c) {
            String k = c.kernelH() + "x" + c.kernelW();
            String s = c.strideH() > 1 ? " /" + c.strideH() : "";
            if (c.depthwise()) {
                return "depthwise " + k + s;
            }
            if (c.kernelH() == 1 && c.kernelW() == 1 && c.groups() == 1) {
                if (depthwiseAt(groups, i + 1) && c.out() > c.in()) {
                    return "expand " + k + s;
                }
                if (depthwiseAt(groups, i - 1) && c.out() < c.in() && activation(ops) == Activation.NONE) {
                    return "project " + k + s + " (linear)";
                }
                return "pointwise " + k + s;
            }
            return "conv " + k + s;
        }
        if (main instanceof Op.Add) {
            return "add";
        }
        if (main instanceof Op.Dense) {
            return "dense";
        }
        if (main instanceof Op.Pool p) {
            return (p.max() ? "max pool " : "average pool ") + p.kernelH() + "x" + p.kernelW();
        }
        if (main instanceof Op.GlobalAvgPool) {
            return "global average";
        }
        if (main instanceof Op.Mul) {
            return "scale";
        }
        if (main instanceof Op.Affine) {
            return "batch norm";
        }
        if (main instanceof Op.Act a) {
            return name(a.activation());
        }
        return main.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    private static boolean depthwiseAt(List<List<Op>> groups, int i) {
        return i >= 0 && i < groups.size() && main(groups.get(i)) instanceof Op.Conv c && c.depthwise();
    }

    private static String detail(List<Op> ops, Op main) {
        List<String> parts = new ArrayList<>();
        if (main instanceof Op.Conv c) {
            parts.add(c.depthwise() ? c.out() + " channels, each on its own" : c.in() + " → " + c.out() + " channels");
        } else if (main instanceof Op.Add a) {
            parts.add(a.activation() == Activation.NONE ? "elementwise" : "elementwise, then " + name(a.activation()));
        }
        for (Op o : ops) {
            if (o instanceof Op.Pad) {
                parts.add("padded");
            } else if (o instanceof Op.Affine && o != main) {
                parts.add("batch norm");
            }
        }
        Activation act = activation(ops);
        if (main instanceof Op.Conv) {
            parts.add(act == Activation.NONE ? "no activation" : name(act));
        }
        return String.join(" · ", parts);
    }

    /** The activation a step ends with (an Act op, or one fused into its conv or batch norm). */
    private static Activation activation(List<Op> ops) {
        Activation a = Activation.NONE;
        for (Op o : ops) {
            if (o instanceof Op.Act x) {
                a = x.activation();
            } else if (o instanceof Op.Conv c && c.activation() != null && c.activation() != Activation.NONE) {
                a = c.activation();
            } else if (o instanceof Op.Affine f && f.activation() != null && f.activation() != Activation.NONE) {
                a = f.activation();
            }
        }
        return a;
    }

    private static String name(Activation a) {
        return switch (a) {
            case RELU -> "ReLU";
            case RELU6 -> "ReLU6";
            case HARDSWISH -> "hard-swish";
            case HARDSIGMOID -> "hard-sigmoid";
            case SIGMOID -> "sigmoid";
            case NONE -> "linear";
        };
    }
}

package org.layerlens.engine.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Records a network as a {@link Graph} by running its module tree symbolically: modules call
 * their children through {@link #call}, leaves emit ops through the builder methods, and every
 * shape is computed on the way (so a wrong architecture fails here, naming the module, before
 * any number is computed). The same trace serves every pass: nothing is traced per image.
 */
public final class Tracer {
    /** A module the tracer can call: the part of {@code nn.Module} it needs. */
    public interface Traceable {
        String path();

        String typeName();

        Value forward(Value x, Tracer t);
    }

    private final List<Op> ops = new ArrayList<>();
    private final List<Graph.ModuleRun> modules = new ArrayList<>();
    private final LinkedHashMap<String, Value> outputs = new LinkedHashMap<>();
    private final Deque<String> scope = new ArrayDeque<>();
    private final PathStyle style;
    private Value input;
    private int nextId;

    /** A tracer for a tree with PyTorch's dotted paths. */
    public Tracer() {
        this(PathStyle.DOTTED);
    }

    public Tracer(PathStyle style) {
        this.style = style;
    }

    public Value input(int... dims) {
        if (input != null) {
            throw new IllegalStateException("the graph already has an input");
        }
        input = value(dims);
        return input;
    }

    private Value value(int... dims) {
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException(where() + ": empty shape " + java.util.Arrays.toString(dims));
            }
        }
        return new Value(nextId++, dims);
    }

    private String where() {
        return scope.isEmpty() ? "(model)" : scope.peek();
    }

    /** Runs {@code m} on {@code x}, recording the ops it emits as its run. */
    public Value call(Traceable m, Value x) {
        int first = ops.size();
        scope.push(m.path());
        Value y;
        try {
            y = m.forward(x, this);
        } finally {
            scope.pop();
        }
        modules.add(new Graph.ModuleRun(m.path(), m.typeName(), x, y, first, ops.size()));
        return y;
    }

    /**
     * Opens a module whose children its owner runs piecewise (a backbone whose stages are
     * interleaved with heads; graphs read from files): ops emitted until {@link #end} belong to
     * {@code path}. Returns the op count at the start, for {@link #end}.
     */
    public int begin(String path) {
        scope.push(path);
        return ops.size();
    }

    /** Closes what {@link #begin} opened, recording the module's run. */
    public void end(String path, String type, Value in, Value out, int firstOp) {
        if (!path.equals(scope.peek())) {
            throw new IllegalStateException("ending " + path + " inside " + scope.peek());
        }
        scope.pop();
        modules.add(new Graph.ModuleRun(path, type, in, out, firstOp, ops.size()));
    }

    /** The output of the module at {@code path} traced so far (the last run of that path). */
    public Value outputOf(String path) {
        for (int i = modules.size() - 1; i >= 0; i--) {
            if (modules.get(i).path().equals(path)) {
                return modules.get(i).output();
            }
        }
        throw new IllegalArgumentException("no module " + path + " has run yet");
    }

    public int opCount() {
        return ops.size();
    }

    public void output(String name, Value v) {
        outputs.put(name, v);
    }

    public Graph finish() {
        if (input == null) {
            throw new IllegalStateException("no input");
        }
        return new Graph(input, ops, modules, outputs, nextId, style);
    }

    private Value emit(Op op) {
        ops.add(op);
        return op.output();
    }

    private void need(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException(where() + ": " + what);
        }
    }

    // ---------------------------------------------------------------- builders

    /** A convolution; {@code weight} is {@code [out, in / groups, kh, kw]}. */
    public Value conv(Value x, int in, int out, int kernelH, int kernelW, int strideH, int strideW, Padding pad,
                      int dilation, int groups, float[] weight, float[] bias) {
        need(x.featureMap(), "a convolution needs a feature map, got " + x);
        need(x.channels() == in, "expects " + in + " input channels but gets " + x.channels() + " (" + x + ")");
        need(groups == 1 || groups == in, "only groups=1 and depthwise convolutions are supported");
        need(weight == null || weight.length == (long) out * (in / groups) * kernelH * kernelW,
                "weight has " + (weight == null ? 0 : weight.length) + " values");
        int effH = dilation * (kernelH - 1) + 1;
        int effW = dilation * (kernelW - 1) + 1;
        int h = (x.height() + pad.top() + pad.bottom() - effH) / strideH + 1;
        int w = (x.width() + pad.left() + pad.right() - effW) / strideW + 1;
        return emit(new Op.Conv(where(), x, value(h, w, out), in, out, kernelH, kernelW, strideH, strideW, pad,
                dilation, groups, weight, bias, Activation.NONE, null));
    }

    public Value affine(Value x, float[] scale, float[] shift) {
        need(scale.length == x.channels() && shift.length == x.channels(),
                "per-channel parameters for " + scale.length + " channels on " + x);
        return emit(new Op.Affine(where(), x, value(x.dims()), scale, shift, Activation.NONE));
    }

    public Value act(Value x, Activation a) {
        return emit(new Op.Act(where(), x, value(x.dims()), a));
    }

    public Value add(Value a, Value b, Activation act) {
        need(java.util.Arrays.equals(a.dims(), b.dims()), "adds " + a + " and " + b + " of different shapes");
        return emit(new Op.Add(where(), a, b, value(a.dims()), act));
    }

    public Value mul(Value a, Value b) {
        boolean perChannel = b.featureMap() && b.height() == 1 && b.width() == 1 && b.channels() == a.channels();
        need(perChannel || java.util.Arrays.equals(a.dims(), b.dims()), "multiplies " + a + " by " + b);
        return emit(new Op.Mul(where(), a, b, value(a.dims())));
    }

    /** Concatenates feature maps along channels, or [N, k] rows. */
    public Value concat(List<Value> parts) {
        need(!parts.isEmpty(), "concatenates nothing");
        return concat(parts, parts.get(0).featureMap());
    }

    /** Concatenates along the last axis or along the first (the only two the kernels copy as blocks). */
    public Value concat(List<Value> parts, boolean lastAxis) {
        need(!parts.isEmpty(), "concatenates nothing");
        Value f = parts.get(0);
        int[] d = f.dims();
        int sum = 0;
        for (Value p : parts) {
            int[] pd = p.dims();
            need(pd.length == d.length, "concatenates " + parts);
            for (int i = 0; i < d.length; i++) {
                boolean axis = lastAxis ? i == d.length - 1 : i == 0;
                need(axis || pd[i] == d[i], "concatenates mismatched " + parts);
            }
            sum += lastAxis ? p.channels() : pd[0];
        }
        if (lastAxis) {
            d[d.length - 1] = sum;
        } else {
            d[0] = sum;
        }
        return emit(new Op.Concat(where(), List.copyOf(parts), value(d), lastAxis));
    }

    public Value pool(Value x, boolean max, int kernelH, int kernelW, int strideH, int strideW, Padding pad) {
        need(x.featureMap(), "pools a non-map " + x);
        int h = (x.height() + pad.top() + pad.bottom() - kernelH) / strideH + 1;
        int w = (x.width() + pad.left() + pad.right() - kernelW) / strideW + 1;
        return emit(new Op.Pool(where(), x, value(h, w, x.channels()), max, kernelH, kernelW, strideH, strideW, pad));
    }

    public Value globalAvgPool(Value x) {
        need(x.featureMap(), "pools a non-map " + x);
        return emit(new Op.GlobalAvgPool(where(), x, value(1, 1, x.channels())));
    }

    public Value pad(Value x, Padding p, float fill) {
        need(x.featureMap(), "pads a non-map " + x);
        return emit(new Op.Pad(where(), x, value(x.height() + p.top() + p.bottom(), x.width() + p.left() + p.right(),
                x.channels()), p, fill));
    }

    public Value reshape(Value x, int... dims) {
        Value y = value(dims);
        need(y.elements() == x.elements(), "reshapes " + x + " to " + java.util.Arrays.toString(dims));
        return emit(new Op.Reshape(where(), x, y));
    }

    public Value softmax(Value x) {
        return emit(new Op.Softmax(where(), x, value(x.dims())));
    }

    public Value dense(Value x, float[] weight, float[] bias, int out, Activation act) {
        int in = x.channels();
        need(weight.length == (long) out * in, "dense weight has " + weight.length + " values for " + out + "x" + in);
        int[] d = x.dims();
        d[d.length - 1] = out;
        return emit(new Op.Dense(where(), x, value(d), weight, bias, act));
    }
}

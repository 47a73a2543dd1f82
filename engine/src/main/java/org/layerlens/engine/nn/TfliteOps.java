package org.layerlens.engine.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.layerlens.engine.graph.Activation;
import org.layerlens.engine.graph.Padding;
import org.layerlens.engine.graph.Tracer;
import org.layerlens.engine.graph.Value;
import org.layerlens.engine.io.TfliteModel;
import org.layerlens.engine.io.TfliteOptions;

/**
 * TFLite operators as the engine's graph ops, with TFLite's semantics (its reference kernels):
 * NHWC; CONV_2D filters OHWI, DEPTHWISE_CONV_2D filters {@code [1, kh, kw, C * M]} (output channel
 * {@code c * M + m} reads input channel c), FULLY_CONNECTED {@code [out, in]} over the input
 * flattened to rows of {@code in}; SAME padding with the odd pixel at the bottom/right, per axis;
 * fused activations NONE, RELU, RELU6; AVERAGE_POOL_2D averaging only the taps inside the input.
 * Tensors lose their batch dimension (which must be 1) on the way in. Anything else is refused
 * with one line naming the operator and where it sits ({@code op 12 RESIZE_BILINEAR (output "...")}).
 */
final class TfliteOps {
    /** The operator kinds LayerLens runs (DEQUANTIZE of constants is folded by the reader). */
    static final List<String> SUPPORTED = List.of("CONV_2D", "DEPTHWISE_CONV_2D", "ADD", "RELU", "RELU6", "LOGISTIC",
            "CONCATENATION", "RESHAPE", "SQUEEZE", "SOFTMAX", "AVERAGE_POOL_2D", "MAX_POOL_2D", "MEAN",
            "FULLY_CONNECTED", "PAD");

    /** The largest tensor a network may compute (1 GB of floats): more is a damaged or hostile file. */
    static final long MAX_ELEMENTS = 1L << 28;

    private TfliteOps() {
    }

    /** Refuses (IllegalArgumentException, one line) what cannot run, before any tree is built. */
    static void check(TfliteModel model, TfliteModel.Operator op) {
        if (!SUPPORTED.contains(op.kind())) {
            throw new IllegalArgumentException("LayerLens does not run " + model.where(op) + "; it runs "
                    + String.join(", ", SUPPORTED) + " (and DEQUANTIZE of constant weights)");
        }
        if (op.outputs().length != 1) {
            throw refuse(model, op, "has " + op.outputs().length + " outputs");
        }
        if (op.inputs().length == 0 || op.inputs()[0] < 0) {
            throw refuse(model, op, "has no input");
        }
        if (weighted(op)) {
            weightShapeChecked(model, op);
            bias(model, op);
        }
    }

    static IllegalArgumentException refuse(TfliteModel model, TfliteModel.Operator op, String problem) {
        return new IllegalArgumentException(model.where(op) + " " + problem);
    }

    // ---------------------------------------------------------------- weights

    /** The operator's weights in PyTorch's layout, or null for operators without weights. */
    static float[] weight(TfliteModel model, TfliteModel.Operator op) {
        if (!weighted(op)) {
            return null;
        }
        int[] s = weightShapeChecked(model, op);
        float[] w = model.tensor(op.inputs()[1]).floats();
        return switch (op.kind()) {
            case "CONV_2D" -> ohwiToOihw(w, s[0], s[1], s[2], s[3]);
            case "DEPTHWISE_CONV_2D" -> depthwiseToOihw(w, s[1], s[2], s[3]);
            default -> w;
        };
    }

    /** The weights' TFLite shape, after checking that they are constant and shaped for the operator. */
    private static int[] weightShapeChecked(TfliteModel model, TfliteModel.Operator op) {
        int[] s = constant(model, op, 1, "weights").shape();
        switch (op.kind()) {
            case "CONV_2D" -> need(model, op, s.length == 4, "weights are not 4-D: " + Arrays.toString(s));
            case "DEPTHWISE_CONV_2D" -> need(model, op, s.length == 4 && s[0] == 1,
                    "weights are not [1, kh, kw, C*M]: " + Arrays.toString(s));
            default -> {
                need(model, op, s.length == 2, "weights are not [out, in]: " + Arrays.toString(s));
                need(model, op, op.options().weightsFormat() == 0, "uses shuffled weights (format "
                        + op.options().weightsFormat() + ")");
            }
        }
        return s;
    }

    static long[] weightShape(TfliteModel model, TfliteModel.Operator op) {
        int[] s = model.tensor(op.inputs()[1]).shape();
        return switch (op.kind()) {
            case "CONV_2D" -> new long[] {s[0], s[3], s[1], s[2]};
            case "DEPTHWISE_CONV_2D" -> new long[] {s[3], 1, s[1], s[2]};
            default -> new long[] {s[0], s[1]};
        };
    }

    static float[] bias(TfliteModel model, TfliteModel.Operator op) {
        if (!weighted(op) || op.inputs().length < 3 || op.inputs()[2] < 0) {
            return null;
        }
        TfliteModel.Tensor b = constant(model, op, 2, "bias");
        int out = (int) weightShape(model, op)[0];
        need(model, op, b.floats().length == out, "has " + b.floats().length + " biases for " + out + " outputs");
        return b.floats();
    }

    private static boolean weighted(TfliteModel.Operator op) {
        return op.kind().equals("CONV_2D") || op.kind().equals("DEPTHWISE_CONV_2D")
                || op.kind().equals("FULLY_CONNECTED");
    }

    private static TfliteModel.Tensor constant(TfliteModel model, TfliteModel.Operator op, int input, String what) {
        need(model, op, op.inputs().length > input && op.inputs()[input] >= 0, "has no " + what);
        TfliteModel.Tensor t = model.tensor(op.inputs()[input]);
        need(model, op, t.floats() != null, "reads its " + what + " from a computed tensor (\"" + t.opName()
                + "\"); LayerLens runs constant float weights");
        return t;
    }

    /** TFLite's {@code [out, kh, kw, in]} -> PyTorch's {@code [out, in, kh, kw]}. */
    static float[] ohwiToOihw(float[] w, int out, int kh, int kw, int in) {
        float[] t = new float[w.length];
        for (int o = 0; o < out; o++) {
            for (int y = 0; y < kh; y++) {
                for (int x = 0; x < kw; x++) {
                    for (int i = 0; i < in; i++) {
                        t[((o * in + i) * kh + y) * kw + x] = w[((o * kh + y) * kw + x) * in + i];
                    }
                }
            }
        }
        return t;
    }

    /** TFLite's depthwise {@code [1, kh, kw, C*M]} -> PyTorch's {@code [C*M, 1, kh, kw]} (same channel order). */
    static float[] depthwiseToOihw(float[] w, int kh, int kw, int channels) {
        float[] t = new float[w.length];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int c = 0; c < channels; c++) {
                    t[(c * kh + y) * kw + x] = w[(y * kw + x) * channels + c];
                }
            }
        }
        return t;
    }

    // ---------------------------------------------------------------- shapes

    /** A tensor's shape as the engine's value: without the batch dimension (a leading 1). */
    static int[] valueDims(int[] shape) {
        return shape.length >= 2 && shape[0] == 1 ? Arrays.copyOfRange(shape, 1, shape.length) : shape.clone();
    }

    /** TFLite's SAME padding along one axis: {before, after}, the odd pixel after. */
    static int[] same(int in, int kernel, int stride, int dilation) {
        int eff = (kernel - 1) * dilation + 1;
        int out = (in + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + eff - in, 0);
        return new int[] {total / 2, total - total / 2};
    }

    static Padding padding(TfliteModel model, TfliteModel.Operator op, Value x, int kh, int kw, int dh, int dw) {
        TfliteOptions o = op.options();
        return switch (o.padding()) {
            case "VALID" -> Padding.NONE;
            case "SAME" -> {
                int[] h = same(x.height(), kh, o.strideH(), dh);
                int[] w = same(x.width(), kw, o.strideW(), dw);
                yield new Padding(h[0], w[0], h[1], w[1]);
            }
            default -> throw refuse(model, op, "has " + o.padding());
        };
    }

    // ---------------------------------------------------------------- emission

    /**
     * Emits operator {@code k} of {@code layer} into {@code t}, reading and writing {@code values}
     * (indexed by tensor); checks the result against the shape the file declares.
     */
    static Value emit(TfliteModel model, TfliteLayer layer, int k, Value[] values, Tracer t) {
        TfliteModel.Operator op = layer.operators().get(k);
        TfliteOptions o = op.options();
        Value x = input(model, op, values, 0);
        Value y = switch (op.kind()) {
            case "CONV_2D" -> conv(model, op, x, layer.weight(k), layer.bias(k), false, t);
            case "DEPTHWISE_CONV_2D" -> conv(model, op, x, layer.weight(k), layer.bias(k), true, t);
            case "ADD" -> add(model, op, values, t);
            case "RELU" -> t.act(x, Activation.RELU);
            case "RELU6" -> t.act(x, Activation.RELU6);
            case "LOGISTIC" -> t.act(x, Activation.SIGMOID);
            case "CONCATENATION" -> concat(model, op, values, t);
            case "RESHAPE", "SQUEEZE" -> t.reshape(x, declared(model, op));
            case "SOFTMAX" -> t.softmax(o.beta() == 1f ? x : t.affine(x, filled(x.channels(), o.beta()),
                    new float[x.channels()]));
            case "AVERAGE_POOL_2D", "MAX_POOL_2D" -> pool(model, op, x, t);
            case "MEAN" -> mean(model, op, x, t);
            case "FULLY_CONNECTED" -> dense(model, op, x, layer.weight(k), layer.bias(k), t);
            case "PAD" -> pad(model, op, x, t);
            default -> throw refuse(model, op, "is not supported");
        };
        need(model, op, y.elements() <= MAX_ELEMENTS, "computes " + Arrays.toString(y.dims()) + ", more than "
                + MAX_ELEMENTS + " values");
        int[] want = declared(model, op);
        if (want.length > 0 && !Arrays.equals(want, y.dims())) {
            throw refuse(model, op, "computes " + Arrays.toString(y.dims()) + " but the file declares "
                    + Arrays.toString(model.tensor(op.outputs()[0]).shape()) + " (batch dimension left out: "
                    + Arrays.toString(want) + ")");
        }
        values[op.outputs()[0]] = y;
        return y;
    }

    private static int[] declared(TfliteModel model, TfliteModel.Operator op) {
        return valueDims(model.tensor(op.outputs()[0]).shape());
    }

    private static Value input(TfliteModel model, TfliteModel.Operator op, Value[] values, int i) {
        int idx = op.inputs()[i];
        Value v = values[idx];
        if (v == null) {
            TfliteModel.Tensor tensor = model.tensor(idx);
            throw refuse(model, op, tensor.constant() ? "reads the constant \"" + tensor.opName() + "\" as data, "
                    + "which LayerLens does not support" : "reads \"" + tensor.opName() + "\", which nothing computes");
        }
        return v;
    }

    private static Value activation(TfliteModel model, TfliteModel.Operator op, Value y, Tracer t) {
        return switch (op.options().activation()) {
            case "NONE" -> y;
            case "RELU" -> t.act(y, Activation.RELU);
            case "RELU6" -> t.act(y, Activation.RELU6);
            default -> throw refuse(model, op, "has the fused activation " + op.options().activation()
                    + ", which LayerLens does not run (NONE, RELU, RELU6)");
        };
    }

    private static Value conv(TfliteModel model, TfliteModel.Operator op, Value x, float[] w, float[] b,
                              boolean depthwise, Tracer t) {
        TfliteOptions o = op.options();
        need(model, op, x.featureMap(), "reads " + Arrays.toString(x.dims()) + ", not an H x W x C map");
        need(model, op, o.strideH() >= 1 && o.strideW() >= 1, "has stride " + o.strideH() + "x" + o.strideW());
        need(model, op, o.dilationH() >= 1 && o.dilationH() == o.dilationW(), "has dilation " + o.dilationH() + "x"
                + o.dilationW() + " (LayerLens runs equal dilations)");
        int[] s = model.tensor(op.inputs()[1]).shape();
        int in = x.channels();
        int out;
        int kh;
        int kw;
        int groups;
        if (depthwise) {
            kh = s[1];
            kw = s[2];
            out = s[3];
            need(model, op, out % in == 0, "has " + out + " outputs for " + in + " input channels");
            need(model, op, o.depthMultiplier() == 0 || o.depthMultiplier() * in == out, "has depth multiplier "
                    + o.depthMultiplier() + " but " + out + " outputs for " + in + " input channels");
            groups = in;
        } else {
            out = s[0];
            kh = s[1];
            kw = s[2];
            need(model, op, s[3] == in, "has weights for " + s[3] + " input channels, the input has " + in);
            groups = 1;
        }
        Padding pad = padding(model, op, x, kh, kw, o.dilationH(), o.dilationW());
        Value y = t.conv(x, in, out, kh, kw, o.strideH(), o.strideW(), pad, o.dilationH(), groups, w, b);
        return activation(model, op, y, t);
    }

    private static Value add(TfliteModel model, TfliteModel.Operator op, Value[] values, Tracer t) {
        need(model, op, op.inputs().length == 2, "has " + op.inputs().length + " inputs");
        Value a = values[op.inputs()[0]];
        Value b = values[op.inputs()[1]];
        if (a != null && b != null) {
            need(model, op, Arrays.equals(a.dims(), b.dims()), "adds " + Arrays.toString(a.dims()) + " and "
                    + Arrays.toString(b.dims()) + " (LayerLens adds equal shapes, or a constant per channel)");
            return t.add(a, b, fused(model, op));
        }
        // x + a constant per channel ([C] or [1, 1, 1, C]): a per-channel shift, exactly
        Value x = a != null ? a : input(model, op, values, 1);
        TfliteModel.Tensor c = model.tensor(op.inputs()[a != null ? 1 : 0]);
        need(model, op, c.floats() != null && c.elements() == x.channels() && c.shape().length >= 1
                && c.shape()[c.shape().length - 1] == x.channels(), "adds \"" + c.opName() + "\" "
                + Arrays.toString(c.shape()) + " to " + Arrays.toString(x.dims())
                + " (LayerLens adds equal shapes, or a constant per channel)");
        return activation(model, op, t.affine(x, filled(x.channels(), 1f), c.floats().clone()), t);
    }

    /** The fused activation as the graph's enum (for ops that carry it themselves). */
    private static Activation fused(TfliteModel model, TfliteModel.Operator op) {
        return switch (op.options().activation()) {
            case "NONE" -> Activation.NONE;
            case "RELU" -> Activation.RELU;
            case "RELU6" -> Activation.RELU6;
            default -> throw refuse(model, op, "has the fused activation " + op.options().activation()
                    + ", which LayerLens does not run (NONE, RELU, RELU6)");
        };
    }

    private static Value concat(TfliteModel model, TfliteModel.Operator op, Value[] values, Tracer t) {
        need(model, op, op.options().activation().equals("NONE"), "has a fused " + op.options().activation()
                + ", which TFLite's own kernel refuses");
        List<Value> parts = new ArrayList<>();
        for (int i = 0; i < op.inputs().length; i++) {
            parts.add(input(model, op, values, i));
        }
        int rank = model.tensor(op.outputs()[0]).shape().length;
        int axis = op.options().axis() < 0 ? op.options().axis() + rank : op.options().axis();
        int ours = parts.get(0).rank();
        int dropped = rank - ours; // 1 when the batch dimension was left out
        boolean last = axis == rank - 1;
        need(model, op, last || axis - dropped == 0, "concatenates along axis " + op.options().axis() + " of "
                + rank + " (LayerLens concatenates along the last axis or the first after the batch)");
        return t.concat(parts, last);
    }

    private static Value pool(TfliteModel model, TfliteModel.Operator op, Value x, Tracer t) {
        TfliteOptions o = op.options();
        need(model, op, x.featureMap(), "pools " + Arrays.toString(x.dims()) + ", not an H x W x C map");
        need(model, op, o.strideH() >= 1 && o.strideW() >= 1 && o.filterH() >= 1 && o.filterW() >= 1,
                "has filter " + o.filterH() + "x" + o.filterW() + ", stride " + o.strideH() + "x" + o.strideW());
        Padding pad = padding(model, op, x, o.filterH(), o.filterW(), 1, 1);
        Value y = t.pool(x, op.kind().equals("MAX_POOL_2D"), o.filterH(), o.filterW(), o.strideH(), o.strideW(), pad);
        return activation(model, op, y, t);
    }

    private static Value mean(TfliteModel model, TfliteModel.Operator op, Value x, Tracer t) {
        need(model, op, op.inputs().length == 2 && model.tensor(op.inputs()[1]).ints() != null,
                "has no constant axes");
        int rank = model.tensor(op.inputs()[0]).shape().length;
        int[] axes = Arrays.stream(model.tensor(op.inputs()[1]).ints()).map(a -> a < 0 ? a + rank : a).sorted()
                .distinct().toArray();
        need(model, op, rank == 4 && x.featureMap() && Arrays.equals(axes, new int[] {1, 2}),
                "averages over axes " + Arrays.toString(axes) + " of a rank-" + rank
                        + " tensor (LayerLens averages over height and width)");
        Value y = t.globalAvgPool(x);
        int[] want = declared(model, op);
        return Arrays.equals(want, y.dims()) ? y : t.reshape(y, want);
    }

    private static Value dense(TfliteModel model, TfliteModel.Operator op, Value x, float[] w, float[] b, Tracer t) {
        int[] s = model.tensor(op.inputs()[1]).shape();
        int out = s[0];
        int in = s[1];
        Value rows = x;
        if (x.channels() != in) {
            need(model, op, x.elements() % in == 0, "reads " + Arrays.toString(x.dims()) + " with " + in
                    + " weights per output");
            rows = t.reshape(x, (int) (x.elements() / in), in);
        }
        Value y = t.dense(rows, w, b, out, fused(model, op));
        int[] want = declared(model, op);
        return Arrays.equals(want, y.dims()) ? y : t.reshape(y, want);
    }

    private static Value pad(TfliteModel model, TfliteModel.Operator op, Value x, Tracer t) {
        need(model, op, op.inputs().length == 2 && model.tensor(op.inputs()[1]).ints() != null,
                "has no constant paddings");
        int[] p = model.tensor(op.inputs()[1]).ints();
        need(model, op, x.featureMap() && p.length == 8 && p[0] == 0 && p[1] == 0 && p[6] == 0 && p[7] == 0
                        && Arrays.stream(p).allMatch(v -> v >= 0),
                "pads " + Arrays.toString(p) + " (LayerLens pads height and width of a map)");
        return t.pad(x, new Padding(p[2], p[4], p[3], p[5]), 0f);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    private static void need(TfliteModel model, TfliteModel.Operator op, boolean ok, String problem) {
        if (!ok) {
            throw refuse(model, op, problem);
        }
    }
}

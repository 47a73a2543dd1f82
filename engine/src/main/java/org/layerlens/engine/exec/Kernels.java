package org.layerlens.engine.exec;

import java.util.List;

import org.layerlens.engine.graph.Activation;
import org.layerlens.engine.graph.Op;
import org.layerlens.engine.graph.Padding;
import org.layerlens.engine.graph.Value;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.AvgPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DepthwiseConv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.MaxPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Mean;
import org.nd4j.linalg.api.ops.impl.scalar.Relu6;
import org.nd4j.linalg.api.ops.impl.transforms.clip.ClipByValue;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarDivision;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarSet;
import org.nd4j.linalg.api.ops.impl.transforms.any.Assign;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Rint;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.layerlens.engine.exec.Steps.NOTHING;
import static org.layerlens.engine.exec.Steps.exec;
import static org.layerlens.engine.exec.Steps.seq;

/**
 * Compiles ops into kernels over channels-last (NHWC) buffers with ND4J: 1x1 convolutions as one
 * matrix product {@code [H*W, in] x [in, out]} (no layout change needed in NHWC), depthwise and
 * other convolutions through ND4J's (oneDNN) NHWC ops, then bias, residual and activation in
 * place. A kernel builds its ND4J ops once per arena, on that arena's views ({@link Kernel#bind});
 * only what cannot be built ahead (a dilated convolution's gathered taps, hardswish in place) is
 * built on every run. The only class besides {@link Arena} and {@link Steps} that calls ND4J's
 * compute ops.
 */
final class Kernels {
    private Kernels() {
    }

    /**
     * Below both of these an op runs on one OpenMP thread: forking and joining a parallel region
     * costs microseconds on an idle machine and a scheduler slice (~0.9 ms measured here) on a
     * busy one, while an op this small takes tens of microseconds on one thread (an SSD's extra
     * layers and heads on 5x5 .. 1x1 maps). Elementwise work is counted apart from multiply-adds:
     * a memory-bound pass over 2^19 floats still gains from a second thread.
     */
    static final long SMALL_MACS = 1L << 19;
    static final long SMALL_ELEMENTS = 1L << 15;

    /**
     * The kernel of {@code op}. {@code keepNaN}: the model holds NaN or infinite parameters, and
     * its activations must let NaN through as PyTorch's do (ND4J's ReLU6 makes a NaN 6.0, so that a
     * NaN weight vanished one layer later): a clamp that keeps NaN, ~25x slower than ND4J's ReLU6,
     * for such models only.
     */
    static Kernel of(Op op, boolean keepNaN) {
        Kernel k = kernel(op, keepNaN);
        return small(op) ? arena -> Steps.onOneThread(k.bind(arena)) : k;
    }

    /** Whether an op is too small to share among threads (elements read and written, multiply-adds). */
    static boolean small(Op op) {
        long elements = op.output().elements();
        for (Value v : op.inputs()) {
            elements += v.elements();
        }
        return op.macs() < SMALL_MACS && elements < SMALL_ELEMENTS;
    }

    private static Kernel kernel(Op op, boolean keepNaN) {
        if (op instanceof Op.Conv c) {
            return conv(c, keepNaN);
        }
        if (recomputable(op)) {
            Elementwise f = elementwise(op, keepNaN);
            Value in = op.inputs().get(0);
            return arena -> f.bind(arena.matrix(in), arena.matrix(op.output()));
        }
        if (op instanceof Op.Add a) {
            return arena -> {
                INDArray z = arena.matrix(a.output());
                return seq(exec(new AddOp(arena.matrix(a.a()), arena.matrix(a.b()), z)), act(z, z, a.activation(), keepNaN));
            };
        }
        if (op instanceof Op.Mul m) {
            return mul(m);
        }
        if (op instanceof Op.Concat c) {
            return concat(c);
        }
        if (op instanceof Op.Pool p) {
            return pool(p);
        }
        if (op instanceof Op.GlobalAvgPool g) {
            return arena -> exec(new Mean(arena.matrix(g.input()),
                    arena.matrix(g.output()).reshape(g.input().channels()), false, 0));
        }
        if (op instanceof Op.Pad p) {
            return pad(p);
        }
        if (op instanceof Op.Reshape) {
            return arena -> NOTHING; // the output shares the input's buffer
        }
        if (op instanceof Op.Softmax s) {
            return arena -> exec(new SoftMax(arena.matrix(s.input()), arena.matrix(s.output()), 1));
        }
        if (op instanceof Op.Dense d) {
            return dense(d, keepNaN);
        }
        if (op instanceof Op.FakeQuant q) {
            return fakeQuant(q);
        }
        throw new IllegalArgumentException("no kernel for " + op.getClass().getSimpleName() + " at " + op.path());
    }

    // ---------------------------------------------------------------- convolutions

    private static Kernel conv(Op.Conv c, boolean keepNaN) {
        if (c.dilation() > 1 && !c.pointwise()) {
            return dilatedConv(c, keepNaN);
        }
        INDArray bias = c.bias() == null ? null : Nd4j.create(c.bias(), new long[] {c.out()}, 'c');
        INDArray w = nativeWeights(c);
        // the kernel holds the weights in native memory only: the op it keeps for the shapes has
        // none (a folded convolution's weights are a copy of their own, which would otherwise stay
        // on the Java heap for as long as the model is open)
        Op.Conv s = c.withoutWeights();
        if (s.pointwise()) {
            return a -> {
                INDArray z = a.matrix(s.output());
                return seq(exec(new Mmul(a.matrix(s.input()), w, z, MMulTranspose.allFalse())),
                        epilogue(a, s, z, bias, keepNaN));
            };
        }
        Conv2DConfig cfg = config(s);
        // the bias goes into the convolution op itself (oneDNN adds it while writing the output:
        // one pass over the map less; 1.00 -> 0.79 ms on a 75x75x144 depthwise layer here)
        if (s.depthwise()) {
            return a -> seq(exec(new DepthwiseConv2D(convInputs(a, s, w, bias), new INDArray[] {a.tensor(s.output())},
                    cfg)), epilogue(a, s, a.matrix(s.output()), null, keepNaN));
        }
        return a -> seq(exec(new Conv2D(convInputs(a, s, w, bias), new INDArray[] {a.tensor(s.output())}, cfg)),
                epilogue(a, s, a.matrix(s.output()), null, keepNaN));
    }

    /** A convolution's weights in the layout its ND4J op wants: [in, out] (1x1), [kh, kw, in, multiplier] (depthwise), YXIO. */
    private static INDArray nativeWeights(Op.Conv c) {
        if (c.pointwise()) {
            return Nd4j.create(transposeOi(c.weight(), c.out(), c.in()), new long[] {c.in(), c.out()}, 'c');
        }
        if (c.depthwise()) {
            return Nd4j.create(depthwiseLayout(c), new long[] {c.kernelH(), c.kernelW(), c.in(), c.out() / c.in()}, 'c');
        }
        if (c.groups() != 1) {
            throw new IllegalArgumentException(c.path() + ": grouped convolutions (groups " + c.groups()
                    + ") other than depthwise are not supported");
        }
        return Nd4j.create(yxio(c), new long[] {c.kernelH(), c.kernelW(), c.in(), c.out()}, 'c');
    }

    private static INDArray[] convInputs(Arena a, Op.Conv c, INDArray w, INDArray bias) {
        return bias == null ? new INDArray[] {a.tensor(c.input()), w} : new INDArray[] {a.tensor(c.input()), w, bias};
    }

    /**
     * A dilated convolution (VGG16-SSD's conv6), tap by tap: ND4J's oneDNN conv2d and
     * depthwise_conv2d refuse any dilation ("could not create a descriptor for a dilated
     * convolution"). Each of the k x k taps gathers the input pixels it reads (padding was made
     * explicit by {@link Lowering}) into an {@code [oh * ow, in]} matrix and adds its product with
     * the tap's {@code [in, out]} weights (depthwise: its per-channel weights) to the output.
     */
    private static Kernel dilatedConv(Op.Conv c, boolean keepNaN) {
        if (!c.padding().none() || !(c.groups() == 1 || c.depthwise() && c.out() == c.in())) {
            throw new IllegalArgumentException(c.path() + ": a dilated convolution needs explicit padding and "
                    + "groups 1 or depthwise");
        }
        int kh = c.kernelH();
        int kw = c.kernelW();
        int in = c.in();
        int out = c.out();
        int perOut = c.depthwise() ? 1 : in;
        float[] w = c.weight();
        INDArray[] taps = new INDArray[kh * kw];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                float[] t = new float[perOut * out];
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < perOut; i++) {
                        t[i * out + o] = w[((o * perOut + i) * kh + y) * kw + x];
                    }
                }
                taps[y * kw + x] = Nd4j.create(t, new long[] {perOut, out}, 'c');
            }
        }
        INDArray bias = c.bias() == null ? null : Nd4j.create(c.bias(), new long[] {out}, 'c');
        Op.Conv s = c.withoutWeights();
        // the gathered taps are made on every run (VGG16-SSD's conv6 only): a copy per tap either way
        return a -> {
            INDArray src = a.tensor(s.input());
            INDArray z = a.matrix(s.output());
            Runnable tail = epilogue(a, s, z, bias, keepNaN);
            return () -> {
                taps(s, taps, src, z);
                tail.run();
            };
        };
    }

    /** The dilated convolution's taps summed into {@code z}, before its epilogue. */
    private static void taps(Op.Conv c, INDArray[] taps, INDArray src, INDArray z) {
        int kh = c.kernelH();
        int kw = c.kernelW();
        int oh = c.output().height();
        int ow = c.output().width();
        int d = c.dilation();
        int in = c.in();
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                INDArray cols = src.get(NDArrayIndex.point(0),
                        NDArrayIndex.interval(y * d, c.strideH(), y * d + (oh - 1) * c.strideH() + 1),
                        NDArrayIndex.interval(x * d, c.strideW(), x * d + (ow - 1) * c.strideW() + 1),
                        NDArrayIndex.all()).dup('c').reshape('c', (long) oh * ow, in);
                INDArray tap = taps[y * kw + x];
                boolean first = y == 0 && x == 0;
                if (c.depthwise()) {
                    cols.muliRowVector(tap);
                    if (first) {
                        z.assign(cols);
                    } else {
                        z.addi(cols);
                    }
                } else {
                    Nd4j.gemm(cols, tap, z, false, false, 1.0, first ? 0.0 : 1.0);
                }
                cols.close();
            }
        }
    }

    /** Bias ({@code [C]}), fused residual, fused activation: in place on the output matrix. */
    private static Runnable epilogue(Arena a, Op.Conv c, INDArray z, INDArray bias, boolean keepNaN) {
        return seq(bias == null ? null : addBias(z, bias),
                c.residual() == null ? null : exec(new AddOp(z, a.matrix(c.residual()), z)),
                act(z, z, c.activation(), keepNaN));
    }

    /**
     * {@code z += bias} per channel (the last axis), in place, through the custom op {@code biasadd}
     * in its own context: the legacy broadcast add costs 12-25 µs a call however small the array
     * (the broadcast's sub-array tables are worked out every time), {@code biasadd} 2-5 µs, and it
     * is as fast or faster on large maps (22500 x 32: 106 against 145 µs, one thread); same sums.
     */
    private static Runnable addBias(INDArray z, INDArray bias) {
        return exec(DynamicCustomOp.builder("biasadd").addInputs(z, bias).addOutputs(z).addBooleanArguments(false)
                .build());
    }

    private static Conv2DConfig config(Op.Conv c) {
        Padding p = c.padding();
        boolean symmetric = p.symmetric();
        return Conv2DConfig.builder()
                .kH(c.kernelH()).kW(c.kernelW()).sH(c.strideH()).sW(c.strideW())
                .pH(symmetric ? p.top() : 0).pW(symmetric ? p.left() : 0)
                .dH(c.dilation()).dW(c.dilation())
                .paddingMode(symmetric ? PaddingMode.VALID : PaddingMode.SAME)
                .dataFormat("NHWC").weightsFormat(WeightsFormat.YXIO).build();
    }

    /** PyTorch {@code [out, in]} (1x1 kernel) -> {@code [in, out]}. */
    static float[] transposeOi(float[] w, int out, int in) {
        float[] t = new float[w.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                t[i * out + o] = w[o * in + i];
            }
        }
        return t;
    }

    /** PyTorch {@code [C * m, 1, kh, kw]} -> ND4J's depthwise {@code [kh, kw, C, m]}. */
    static float[] depthwiseLayout(Op.Conv c) {
        int kh = c.kernelH();
        int kw = c.kernelW();
        int ch = c.in();
        int m = c.out() / c.in();
        float[] w = c.weight();
        float[] t = new float[w.length];
        for (int cc = 0; cc < ch; cc++) {
            for (int j = 0; j < m; j++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        t[((y * kw + x) * ch + cc) * m + j] = w[((cc * m + j) * kh + y) * kw + x];
                    }
                }
            }
        }
        return t;
    }

    /** PyTorch {@code [out, in, kh, kw]} -> {@code [kh, kw, in, out]}. */
    static float[] yxio(Op.Conv c) {
        int kh = c.kernelH();
        int kw = c.kernelW();
        int in = c.in();
        int out = c.out();
        float[] w = c.weight();
        float[] t = new float[w.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        t[((y * kw + x) * in + i) * out + o] = w[((o * in + i) * kh + y) * kw + x];
                    }
                }
            }
        }
        return t;
    }

    // ---------------------------------------------------------------- elementwise

    /** A single-input elementwise op on {@code [rows, C]} matrices: {@code z = f(x)}, z may be x. */
    @FunctionalInterface
    interface Elementwise {
        /** The op's ND4J calls on these arrays: run every pass by a kernel, once by a recompute. */
        Runnable bind(INDArray x, INDArray z);
    }

    /**
     * Whether an op's output is cheap to compute again from its input (a batch norm's affine map,
     * an activation): the inspect pass keeps such outputs only until their readers have run and
     * recomputes them, with this same arithmetic, when one is asked for.
     */
    static boolean recomputable(Op op) {
        return op instanceof Op.Affine || op instanceof Op.Act;
    }

    static Elementwise elementwise(Op op, boolean keepNaN) {
        if (op instanceof Op.Act a) {
            return (x, z) -> act(x, z, a.activation(), keepNaN);
        }
        Op.Affine af = (Op.Affine) op;
        INDArray scale = Nd4j.create(af.scale(), new long[] {af.scale().length}, 'c');
        INDArray shift = Nd4j.create(af.shift(), new long[] {af.shift().length}, 'c');
        return (x, z) -> seq(exec(new MulOp(x, scale, z)), addBias(z, shift), act(z, z, af.activation(), keepNaN));
    }

    /** {@code z = f(x)}; in place when z is x or a view of the same buffer. */
    static Runnable act(INDArray x, INDArray z, Activation f, boolean keepNaN) {
        return switch (f) {
            case NONE -> x == z ? NOTHING : exec(new Assign(x, z));
            case RELU -> exec(new RectifiedLinear(x, z, 0.0)); // keeps NaN: x < 0 ? 0 : x
            case RELU6 -> relu6(x, z, keepNaN);
            case SIGMOID -> exec(new Sigmoid(x, z));
            case HARDSIGMOID -> hardSigmoid(x, z, keepNaN);
            case HARDSWISH -> hardSwish(x, z, keepNaN);
        };
    }

    /** min(max(x, 0), 6); with {@code keepNaN}, a NaN stays NaN (ND4J's ReLU6 makes it 6). */
    private static Runnable relu6(INDArray x, INDArray z, boolean keepNaN) {
        if (!keepNaN) {
            return exec(new Relu6(x, z));
        }
        return () -> {
            ClipByValue clip = new ClipByValue(x, 0.0, 6.0);
            clip.addOutputArgument(z);
            Nd4j.exec(clip);
        };
    }

    /** {@code x * hardsigmoid(x)}. */
    private static Runnable hardSwish(INDArray x, INDArray z, boolean keepNaN) {
        if (x != z && !x.data().sameUnderlyingData(z.data())) {
            return seq(hardSigmoid(x, z, keepNaN), exec(new MulOp(z, x, z)));
        }
        // in place (the plan may give z x's buffer through another view): x must survive
        // hardsigmoid, in a copy made on every run (nothing of an arena's is free to hold it)
        return () -> {
            try (INDArray copy = x.dup()) {
                hardSigmoid(copy, z, keepNaN).run();
                z.muli(copy);
            }
        };
    }

    /** PyTorch's hardsigmoid: relu6(x + 3) / 6 (not Keras's 0.2x + 0.5). */
    private static Runnable hardSigmoid(INDArray x, INDArray z, boolean keepNaN) {
        return seq(exec(new ScalarAdd(x, null, z, 3.0)), relu6(z, z, keepNaN),
                exec(new ScalarMultiplication(z, null, z, 1.0 / 6.0)));
    }

    private static Kernel mul(Op.Mul m) {
        boolean perChannel = m.b().elements() == m.b().channels() && m.a().elements() != m.b().elements();
        return a -> perChannel
                ? exec(new BroadcastMulOp(a.matrix(m.a()), a.matrix(m.b()).reshape(m.b().channels()),
                        a.matrix(m.output()), 1))
                : exec(new MulOp(a.matrix(m.a()), a.matrix(m.b()), a.matrix(m.output())));
    }

    private static Kernel concat(Op.Concat c) {
        List<Value> parts = c.parts();
        return a -> {
            INDArray z = a.matrix(c.output());
            Runnable[] copies = new Runnable[parts.size()];
            long off = 0;
            for (int i = 0; i < copies.length; i++) {
                Value p = parts.get(i);
                INDArray src = a.matrix(p);
                long n = c.lastAxis() ? p.channels() : src.size(0);
                INDArray dst = c.lastAxis()
                        ? z.get(NDArrayIndex.all(), NDArrayIndex.interval(off, off + n))
                        : z.get(NDArrayIndex.interval(off, off + n), NDArrayIndex.all());
                copies[i] = exec(new Assign(src, dst));
                off += n;
            }
            return seq(copies);
        };
    }

    private static Kernel pool(Op.Pool p) {
        // symmetric padding given as such; anything else left after Lowering is TensorFlow's 'same'
        boolean symmetric = p.padding().symmetric();
        Pooling2DConfig cfg = Pooling2DConfig.builder()
                .kH(p.kernelH()).kW(p.kernelW()).sH(p.strideH()).sW(p.strideW())
                .pH(symmetric ? p.padding().top() : 0).pW(symmetric ? p.padding().left() : 0).dH(1).dW(1)
                .paddingMode(symmetric ? PaddingMode.VALID : PaddingMode.SAME).isNHWC(true)
                .type(p.max() ? Pooling2D.Pooling2DType.MAX : Pooling2D.Pooling2DType.AVG)
                .divisor(Pooling2D.Divisor.EXCLUDE_PADDING).build();
        return a -> p.max()
                ? exec(new MaxPooling2D(a.tensor(p.input()), a.tensor(p.output()), cfg))
                : exec(new AvgPooling2D(a.tensor(p.input()), a.tensor(p.output()), cfg));
    }

    private static Kernel pad(Op.Pad p) {
        Padding q = p.padding();
        Value in = p.input();
        return a -> {
            INDArray z = a.tensor(p.output());
            INDArray inside = z.get(NDArrayIndex.all(), NDArrayIndex.interval(q.top(), q.top() + in.height()),
                    NDArrayIndex.interval(q.left(), q.left() + in.width()), NDArrayIndex.all());
            return seq(exec(new ScalarSet(z, null, z, p.value())), exec(new Assign(a.tensor(in), inside)));
        };
    }

    /** Quantise to the op's grid and back, in five in-place passes (divide, round half even, shift, clamp, scale). */
    private static Kernel fakeQuant(Op.FakeQuant q) {
        double lo = q.qmin() - q.zeroPoint();
        double hi = q.qmax() - q.zeroPoint();
        return a -> {
            INDArray z = a.matrix(q.output());
            return seq(exec(new ScalarDivision(a.matrix(q.input()), null, z, q.scale())), exec(new Rint(z, z)),
                    exec(new ScalarMax(z, null, z, lo)), exec(new ScalarMin(z, null, z, hi)),
                    exec(new ScalarMultiplication(z, null, z, q.scale())));
        };
    }

    private static Kernel dense(Op.Dense d, boolean keepNaN) {
        int in = d.input().channels();
        int out = d.output().channels();
        INDArray w = Nd4j.create(transposeOi(d.weight(), out, in), new long[] {in, out}, 'c');
        INDArray bias = d.bias() == null ? null : Nd4j.create(d.bias(), new long[] {out}, 'c');
        return a -> {
            INDArray z = a.matrix(d.output());
            return seq(exec(new Mmul(a.matrix(d.input()), w, z, MMulTranspose.allFalse())),
                    bias == null ? null : addBias(z, bias), act(z, z, d.activation(), keepNaN));
        };
    }

    static DataType type() {
        return DataType.FLOAT;
    }
}

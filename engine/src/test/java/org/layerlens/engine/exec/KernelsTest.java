package org.layerlens.engine.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.layerlens.engine.graph.Activation;
import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.Padding;
import org.layerlens.engine.graph.Tracer;
import org.layerlens.engine.graph.Value;
import org.layerlens.engine.nn.MaxPool2d;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The kernels the pytorch-ssd backbones need, each against a plain double-precision loop written
 * from PyTorch's definition, in both passes (inspect: as traced; fast: lowered and fused):
 * dilated convolutions (VGG's conv6, dilation 6 padding 6), max pools with padding (pool5 3x3/1/1,
 * where the padding must never win) and in ceil mode (75 -> 38), hardswish and hardsigmoid,
 * global average pool, a per-channel multiply (squeeze-excite) and a channel concat (Fire).
 */
class KernelsTest {
    private final Random rnd = new Random(11);

    private float[] random(int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextGaussian() * scale);
        }
        return a;
    }

    /**
     * Runs a traced graph whose output is named "out", in both modes; checks both against {@code want}.
     * Each checked pass runs on an arena that has run a pass over another input before (its
     * kernels bound once, run twice).
     */
    private static void check(Graph g, float[] input, double[] want, double tol) {
        float[] other = new float[input.length];
        for (int i = 0; i < input.length; i++) {
            other[i] = -2 * input[input.length - 1 - i];
        }
        try (Executor ex = new Executor(g)) {
            ex.fast(other, null);
            ex.inspect(other, null, null).close();
            float[] fast = ex.fast(input, null).get("out");
            float[] inspected;
            try (Activations a = ex.inspect(input, null, null)) {
                inspected = a.outputs().get("out");
            }
            for (float[] got : List.of(inspected, fast)) {
                String pass = got == fast ? "fast" : "inspect";
                assertEquals(want.length, got.length, "element count");
                for (int i = 0; i < want.length; i++) {
                    double d = Math.abs(got[i] - want[i]);
                    assertTrue(d <= tol * Math.max(1, Math.abs(want[i])), pass + " pass, element " + i + ": " + got[i]
                            + " vs " + want[i]);
                }
            }
        }
    }

    /** PyTorch's conv2d on an HWC map, groups 1 or depthwise (multiplier 1), in double. */
    static double[] conv(float[] x, int h, int w, int in, float[] weight, float[] bias, int out, int k, int stride,
                         int pad, int dil, boolean depthwise) {
        int oh = (h + 2 * pad - dil * (k - 1) - 1) / stride + 1;
        int ow = (w + 2 * pad - dil * (k - 1) - 1) / stride + 1;
        double[] y = new double[oh * ow * out];
        int perOut = depthwise ? 1 : in;
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                for (int o = 0; o < out; o++) {
                    double s = bias == null ? 0 : bias[o];
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            int iy = oy * stride - pad + ky * dil;
                            int ix = ox * stride - pad + kx * dil;
                            if (iy < 0 || ix < 0 || iy >= h || ix >= w) {
                                continue;
                            }
                            for (int c = 0; c < perOut; c++) {
                                int ic = depthwise ? o : c;
                                s += x[(iy * w + ix) * in + ic] * (double) weight[((o * perOut + c) * k + ky) * k + kx];
                            }
                        }
                    }
                    y[(oy * ow + ox) * out + o] = s;
                }
            }
        }
        return y;
    }

    @ParameterizedTest(name = "{0}x{0}x{1} -> {2}, k{3} s{4} p{5} d{6}, depthwise {7}")
    @CsvSource({"19, 16, 24, 3, 1, 6, 6, false", "11, 8, 8, 3, 1, 2, 2, true", "12, 5, 7, 3, 2, 2, 2, false",
                "9, 4, 6, 3, 1, 0, 3, false"})
    void dilatedConvolutions(int size, int in, int out, int k, int stride, int pad, int dil, boolean depthwise) {
        if (depthwise) {
            out = in;
        }
        float[] x = random(size * size * in, 1);
        float[] weight = random(out * (depthwise ? 1 : in) * k * k, 0.3);
        float[] bias = random(out, 0.1);
        Tracer t = new Tracer();
        Value v = t.input(size, size, in);
        Value y = t.conv(v, in, out, k, k, stride, stride, Padding.symmetric(pad), dil, depthwise ? in : 1, weight,
                bias);
        t.output("out", t.act(y, Activation.RELU));
        double[] want = conv(x, size, size, in, weight, bias, out, k, stride, pad, dil, depthwise);
        for (int i = 0; i < want.length; i++) {
            want[i] = Math.max(0, want[i]);
        }
        check(t.finish(), x, want, 1e-5);
    }

    /** PyTorch's max_pool2d: padding never wins (it is -inf), ceil mode lets the last window hang over. */
    static double[] maxPool(float[] x, int h, int w, int c, int k, int stride, int pad, boolean ceil) {
        int oh = outSize(h, k, stride, pad, ceil);
        int ow = outSize(w, k, stride, pad, ceil);
        double[] y = new double[oh * ow * c];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                for (int ch = 0; ch < c; ch++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            int iy = oy * stride - pad + ky;
                            int ix = ox * stride - pad + kx;
                            if (iy >= 0 && ix >= 0 && iy < h && ix < w) {
                                m = Math.max(m, x[(iy * w + ix) * c + ch]);
                            }
                        }
                    }
                    y[(oy * ow + ox) * c + ch] = m;
                }
            }
        }
        return y;
    }

    private static int outSize(int in, int k, int s, int p, boolean ceil) {
        int span = in + 2 * p - k;
        int out = (ceil ? (span + s - 1) / s : span / s) + 1;
        if (ceil && (out - 1) * s >= in + p) {
            out--;
        }
        return out;
    }

    @ParameterizedTest(name = "{0}x{0}, k{1} s{2} p{3} ceil {4}")
    @CsvSource({"9, 3, 1, 1, false", "75, 2, 2, 0, true", "7, 3, 2, 1, true", "149, 3, 2, 0, false"})
    void maxPools(int size, int k, int stride, int pad, boolean ceil) {
        int c = 3;
        float[] x = random(size * size * c, 1);
        for (int i = 0; i < x.length; i++) {
            x[i] -= 5; // all negative: a zero-valued padding would win
        }
        Tracer t = new Tracer();
        Value v = t.input(size, size, c);
        Value y = t.call(new MaxPool2d(k, stride, pad, ceil), v);
        t.output("out", y);
        double[] want = maxPool(x, size, size, c, k, stride, pad, ceil);
        assertArrayEquals(new int[] {outSize(size, k, stride, pad, ceil), outSize(size, k, stride, pad, ceil), c},
                y.dims());
        check(t.finish(), x, want, 0);
    }

    /**
     * A small op runs with the calling thread's OpenMP team cut to one thread and gives it back;
     * a pass on a thread that never set OpenMP's count (a worker) uses the engine's count, not
     * OpenMP's default: after a pass on a new thread, that thread's limit is the engine's count.
     */
    @ParameterizedTest
    @CsvSource({"3, true", "64, false"})
    void passesRunOnTheEnginesThreadCount(int size, boolean small) throws Exception {
        Tracer t = new Tracer();
        Value v = t.input(size, size, 16);
        t.output("out", t.act(v, Activation.RELU6));
        Graph g = t.finish();
        assertEquals(small, Kernels.small(g.ops().get(0)));
        int before = Nd4jRuntime.threads();
        var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        float[] x = random(size * size * 16, 4);
        try (Executor ex = new Executor(g)) {
            ex.fast(x, null); // starts ND4J
            int threads = ops.ompGetMaxThreads() == 3 ? 5 : 3;
            Nd4jRuntime.setThreads(threads);
            int[] seen = new int[2];
            float[][] out = new float[1][];
            Thread worker = new Thread(() -> {
                seen[0] = ops.ompGetMaxThreads();
                out[0] = ex.fast(x, null).get("out");
                seen[1] = ops.ompGetMaxThreads();
            });
            worker.start();
            worker.join();
            assertTrue(seen[0] != threads, "OpenMP's default on a new thread is not the engine's count");
            assertEquals(threads, seen[1]);
            for (int i = 0; i < x.length; i++) {
                assertEquals(Math.min(6, Math.max(0, x[i])), out[0][i], 0f);
            }
        } finally {
            Nd4jRuntime.setThreads(before);
        }
    }

    @Test
    void squeezeExciteWithHardActivations() {
        int h = 5;
        int c = 6;
        float[] x = random(h * h * c, 3);
        Tracer t = new Tracer();
        Value v = t.input(h, h, c);
        Value hs = t.act(v, Activation.HARDSWISH);
        Value pooled = t.globalAvgPool(hs);
        Value gate = t.act(pooled, Activation.HARDSIGMOID);
        t.output("out", t.mul(hs, gate));
        double[] hsw = new double[x.length];
        double[] mean = new double[c];
        for (int i = 0; i < x.length; i++) {
            hsw[i] = x[i] * Math.min(6, Math.max(0, x[i] + 3.0)) / 6; // PyTorch: x * relu6(x + 3) / 6
            mean[i % c] += hsw[i] / (h * h);
        }
        double[] want = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            want[i] = hsw[i] * (Math.min(6, Math.max(0, mean[i % c] + 3)) / 6);
        }
        check(t.finish(), x, want, 1e-6);
    }

    @Test
    void channelConcat() {
        int h = 4;
        float[] x = random(h * h * 3, 1);
        float[] w1 = random(2 * 3, 1);
        float[] w3 = random(5 * 3 * 9, 1);
        Tracer t = new Tracer();
        Value v = t.input(h, h, 3);
        Value a = t.conv(v, 3, 2, 1, 1, 1, 1, Padding.NONE, 1, 1, w1, null);
        Value b = t.conv(v, 3, 5, 3, 3, 1, 1, Padding.symmetric(1), 1, 1, w3, null);
        t.output("out", t.concat(List.of(a, b)));
        double[] ya = conv(x, h, h, 3, w1, null, 2, 1, 1, 0, 1, false);
        double[] yb = conv(x, h, h, 3, w3, null, 5, 3, 1, 1, 1, false);
        double[] want = new double[h * h * 7];
        for (int p = 0; p < h * h; p++) {
            for (int ch = 0; ch < 7; ch++) {
                want[p * 7 + ch] = ch < 2 ? ya[p * 2 + ch] : yb[p * 5 + ch - 2];
            }
        }
        check(t.finish(), x, want, 1e-5);
    }
}

package org.layerlens.bench;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.exec.Nd4jRuntime;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;

/**
 * LayerLens's fast, inspect and inspect-all passes against ONNX Runtime (CPU) on the same weights
 * (a .pth and its ONNX export), the same input and the same thread count, in rounds of a block of
 * each in one run so that a noisy machine slows all four alike; prints medians and the ratios. A
 * benchmark, never a test. Each pass includes decoding the detections, ONNX Runtime's does not.
 *
 * <pre>java -cp bench/target/layerlens-bench-*.jar:bench/target/lib/* org.layerlens.bench.OrtComparison \
 *   MODEL.pth MODEL.onnx IMAGE THREADS ITERATIONS</pre>
 */
public final class OrtComparison {
    private OrtComparison() {
    }

    public static void main(String[] a) throws Exception {
        Path pth = Path.of(a[0]);
        Path onnx = Path.of(a[1]);
        LoadedImage img = Images.read(Path.of(a[2]));
        int threads = Integer.parseInt(a[3]);
        int n = Integer.parseInt(a[4]);
        Nd4jRuntime.setThreads(threads);
        Model m = Model.open(pth, null);
        float[] hwc = m.input(img);
        int s = m.inputSize();
        float[] nchw = new float[hwc.length];
        for (int i = 0; i < s * s; i++) {
            for (int c = 0; c < 3; c++) {
                nchw[c * s * s + i] = hwc[i * 3 + c];
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions opt = new OrtSession.SessionOptions();
        opt.setIntraOpNumThreads(threads);
        opt.setInterOpNumThreads(1);
        opt.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        try (OrtSession session = env.createSession(onnx.toString(), opt);
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(nchw), new long[] {1, 3, s, s})) {
            String input = session.getInputNames().iterator().next();
            Map<String, OnnxTensor> feed = Map.of(input, x);
            // blocks, not alternation: ONNX Runtime's pool threads spin for a while after each run,
            // and would slow whatever ran right after them. Ten rounds of four blocks, the first
            // pass of each block not counted.
            int rounds = 10;
            int per = Math.max(1, n / rounds);
            double[] fast = new double[rounds * per];
            double[] inspect = new double[rounds * per];
            double[] inspectAll = new double[rounds * per];
            double[] ort = new double[rounds * per];
            for (int r = -1; r < rounds; r++) {
                for (int i = -1; i < per; i++) {
                    long t0 = System.nanoTime();
                    m.detectInput(hwc, img);
                    if (r >= 0 && i >= 0) {
                        fast[r * per + i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                for (int i = -1; i < per; i++) {
                    long t0 = System.nanoTime();
                    try (Inspection ins = m.inspectInput(hwc, img, null, null)) {
                        // every module's output kept until here
                    }
                    if (r >= 0 && i >= 0) {
                        inspect[r * per + i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                for (int i = -1; i < per; i++) {
                    long t0 = System.nanoTime();
                    try (Inspection ins = m.inspectAllInput(hwc, img, null, null)) {
                        // every module's own output in a buffer of its own until here
                    }
                    if (r >= 0 && i >= 0) {
                        inspectAll[r * per + i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                for (int i = -1; i < per; i++) {
                    long t0 = System.nanoTime();
                    try (OrtSession.Result res = session.run(feed)) {
                        // outputs: scores, boxes
                    }
                    if (r >= 0 && i >= 0) {
                        ort[r * per + i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
            double f = median(fast);
            double in = median(inspect);
            double all = median(inspectAll);
            double o = median(ort);
            System.out.printf(Locale.ROOT, "%s (%s), %d threads, %d passes each (10 rounds of a block of each, "
                    + "after a warm-up round)%n", pth.getFileName(), m.spec().name(), threads, rounds * per);
            System.out.printf(Locale.ROOT, "LayerLens fast pass   median %7.2f ms (min %.2f)%n", f, min(fast));
            System.out.printf(Locale.ROOT, "LayerLens inspect     median %7.2f ms (min %.2f)%n", in, min(inspect));
            System.out.printf(Locale.ROOT, "LayerLens inspect-all median %7.2f ms (min %.2f)%n", all, min(inspectAll));
            System.out.printf(Locale.ROOT, "ONNX Runtime 1.20 CPU median %7.2f ms (min %.2f)%n", o, min(ort));
            System.out.printf(Locale.ROOT, "ratio fast / ONNX Runtime: %.2f   inspect / fast: %.2f   inspect-all / fast: "
                    + "%.2f%n", f / o, in / f, all / f);
        }
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }
}

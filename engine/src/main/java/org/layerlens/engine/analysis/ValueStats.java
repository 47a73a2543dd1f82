package org.layerlens.engine.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The running statistics of one graph value (one module output, or several modules sharing it)
 * over the images seen so far. Workers summarise an image's channels on their own
 * ({@link Scratch}), then merge under this object's lock: exact counts, extremes and Chan et al.'s
 * pairwise mean/variance update, plus the sketches and the histogram.
 */
final class ValueStats {
    static final float CEILING = 6f;

    final int channels;
    final int plane;
    private long images;
    private final float[] min;
    private final float[] max;
    private final double[] mean;
    private final double[] m2;
    private final long[] zeros;
    private final long[] ceiling;
    private final TailSketch[] tails;
    private final RangingHistogram histogram = new RangingHistogram();

    ValueStats(int channels, int plane) {
        this.channels = channels;
        this.plane = plane;
        min = new float[channels];
        max = new float[channels];
        Arrays.fill(min, Float.POSITIVE_INFINITY);
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
        mean = new double[channels];
        m2 = new double[channels];
        zeros = new long[channels];
        ceiling = new long[channels];
        tails = new TailSketch[channels];
        for (int c = 0; c < channels; c++) {
            tails[c] = new TailSketch();
        }
    }

    /** One worker's buffers, reused from image to image. */
    static final class Scratch {
        float[] chw = new float[0];
        float[] min = new float[0];
        float[] max = new float[0];
        double[] mean = new double[0];
        double[] m2 = new double[0];
        long[] zeros = new long[0];
        long[] ceiling = new long[0];

        void ensure(int elements, int channels) {
            if (chw.length < elements) {
                chw = new float[elements];
            }
            if (min.length < channels) {
                min = new float[channels];
                max = new float[channels];
                mean = new double[channels];
                m2 = new double[channels];
                zeros = new long[channels];
                ceiling = new long[channels];
            }
        }
    }

    /** Adds one image's output (the first {@code count} values of {@code hwc}, channels last); summarises it outside the lock. */
    void add(float[] hwc, int count, Scratch s) {
        int c0 = channels;
        int p = plane;
        if (count != c0 * p) {
            throw new IllegalArgumentException(count + " values for " + c0 + " channels of " + p);
        }
        s.ensure(count, c0);
        float[] chw = s.chw;
        for (int i = 0; i < p; i++) {
            int row = i * c0;
            for (int c = 0; c < c0; c++) {
                chw[c * p + i] = hwc[row + c];
            }
        }
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < c0; c++) {
            int from = c * p;
            float mn = Float.POSITIVE_INFINITY;
            float mx = Float.NEGATIVE_INFINITY;
            double sum = 0;
            long z = 0;
            long top = 0;
            for (int i = from; i < from + p; i++) {
                float v = chw[i];
                mn = Math.min(mn, v);
                mx = Math.max(mx, v);
                sum += v;
                z += v == 0f ? 1 : 0;
                top += v == CEILING ? 1 : 0;
            }
            double mu = sum / p;
            double dev = 0;
            for (int i = from; i < from + p; i++) {
                double d = chw[i] - mu;
                dev += d * d;
            }
            s.min[c] = mn;
            s.max[c] = mx;
            s.mean[c] = mu;
            s.m2[c] = dev;
            s.zeros[c] = z;
            s.ceiling[c] = top;
            lo = Math.min(lo, mn);
            hi = Math.max(hi, mx);
        }
        synchronized (this) {
            long n0 = images * p;
            long n = n0 + p;
            for (int c = 0; c < c0; c++) {
                min[c] = Math.min(min[c], s.min[c]);
                max[c] = Math.max(max[c], s.max[c]);
                double delta = s.mean[c] - mean[c];
                mean[c] += delta * p / n;
                m2[c] += s.m2[c] + delta * delta * ((double) n0 * p / n);
                zeros[c] += s.zeros[c];
                ceiling[c] += s.ceiling[c];
                tails[c].addAll(chw, c * p, c * p + p);
            }
            if (Float.isFinite(lo) && Float.isFinite(hi)) {
                histogram.cover(lo, hi);
            }
            histogram.addAll(chw, 0, c0 * p);
            images++;
        }
    }

    synchronized ModuleStats result(String path, String type, int[] shape) {
        long n = images * plane;
        List<ChannelStats> out = new ArrayList<>(channels);
        List<Integer> dead = new ArrayList<>();
        List<Integer> saturated = new ArrayList<>();
        TailSketch all = new TailSketch();
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < channels; c++) {
            double maxAbs = Math.max(Math.abs(min[c]), Math.abs(max[c]));
            out.add(new ChannelStats(min[c], max[c], mean[c], Math.sqrt(m2[c] / Math.max(1, n)),
                    (double) zeros[c] / n, (double) ceiling[c] / n,
                    Math.min(maxAbs, tails[c].quantile(0.999)), Math.min(maxAbs, tails[c].quantile(0.9999))));
            if (n > 0 && zeros[c] == n) {
                dead.add(c);
            }
            if (n > 0 && ceiling[c] == n) {
                saturated.add(c);
            }
            all.merge(tails[c]);
            lo = Math.min(lo, min[c]);
            hi = Math.max(hi, max[c]);
        }
        double maxAbs = Math.max(Math.abs(lo), Math.abs(hi));
        ModuleStats.TensorRange range = new ModuleStats.TensorRange(lo, hi, Math.min(maxAbs, all.quantile(0.999)),
                Math.min(maxAbs, all.quantile(0.9999)));
        return new ModuleStats(path, type, shape, List.copyOf(out), dead.stream().mapToInt(Integer::intValue).toArray(),
                saturated.stream().mapToInt(Integer::intValue).toArray(), histogram.snapshot(), range);
    }
}

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

    /** One worker's per-channel summary of one image, reused from image to image. */
    static final class Scratch {
        float[] min = new float[0];
        float[] max = new float[0];
        float[] minNonZero = new float[0];
        double[] sum = new double[0];
        double[] sumSq = new double[0];
        long[] zeros = new long[0];
        long[] ceiling = new long[0];

        void reset(int channels) {
            if (min.length < channels) {
                min = new float[channels];
                max = new float[channels];
                minNonZero = new float[channels];
                sum = new double[channels];
                sumSq = new double[channels];
                zeros = new long[channels];
                ceiling = new long[channels];
            }
            Arrays.fill(min, 0, channels, Float.POSITIVE_INFINITY);
            Arrays.fill(max, 0, channels, Float.NEGATIVE_INFINITY);
            Arrays.fill(minNonZero, 0, channels, Float.POSITIVE_INFINITY);
            Arrays.fill(sum, 0, channels, 0);
            Arrays.fill(sumSq, 0, channels, 0);
            Arrays.fill(zeros, 0, channels, 0);
            Arrays.fill(ceiling, 0, channels, 0);
        }
    }

    /**
     * Adds one image's output (the first {@code count} values of {@code hwc}, channels last): one
     * pass over the pixels summarises every channel outside the lock (the inner loop runs along
     * the channels, so it reads memory in order); a second, under the lock, fills the sketches and
     * the histogram.
     */
    void add(float[] hwc, int count, Scratch s) {
        int c0 = channels;
        int p = plane;
        if (count != c0 * p) {
            throw new IllegalArgumentException(count + " values for " + c0 + " channels of " + p);
        }
        s.reset(c0);
        float[] mn = s.min;
        float[] mx = s.max;
        float[] nz = s.minNonZero;
        double[] sum = s.sum;
        double[] sq = s.sumSq;
        long[] z = s.zeros;
        long[] top = s.ceiling;
        for (int i = 0; i < count; i += c0) {
            for (int c = 0; c < c0; c++) {
                float v = hwc[i + c];
                mn[c] = Math.min(mn[c], v);
                mx[c] = Math.max(mx[c], v);
                sum[c] += v;
                sq[c] += (double) v * v;
                // selects, not branches: ReLU outputs are half zeros, which a branch predicts badly
                z[c] += v == 0f ? 1 : 0;
                nz[c] = Math.min(nz[c], v == 0f ? Float.POSITIVE_INFINITY : Math.abs(v));
                top[c] += v == CEILING ? 1 : 0;
            }
        }
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < c0; c++) {
            lo = Math.min(lo, mn[c]);
            hi = Math.max(hi, mx[c]);
        }
        synchronized (this) {
            long n0 = images * p;
            long n = n0 + p;
            for (int c = 0; c < c0; c++) {
                // Chan, Golub and LeVeque's pairwise update: this image's mean and squared deviations
                double mu = sum[c] / p;
                double dev = Math.max(0, sq[c] - sum[c] * mu);
                min[c] = Math.min(min[c], mn[c]);
                max[c] = Math.max(max[c], mx[c]);
                double delta = mu - mean[c];
                mean[c] += delta * p / n;
                m2[c] += dev + delta * delta * ((double) n0 * p / n);
                zeros[c] += z[c];
                ceiling[c] += top[c];
                tails[c].prepare(nz[c], Math.max(Math.abs(mn[c]), Math.abs(mx[c])));
            }
            for (int c = 0; c < c0; c++) {
                tails[c].addStrided(hwc, c, count, c0, z[c]);
            }
            if (Float.isFinite(lo) && Float.isFinite(hi)) {
                histogram.cover(lo, hi);
            }
            histogram.addAll(hwc, 0, count);
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

package org.layerlens.engine;

import org.layerlens.engine.exec.Tensors;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One module's output copied out of ND4J once ([C, H, W] floats), with the statistics the
 * viewer shows. Copying a whole layer takes a few milliseconds; per-element reads would not.
 */
public final class LayerData {
    public final String path;
    public final int channels;
    public final int height;
    public final int width;
    public final float[] values;
    private float[] channelMin;
    private float[] channelMax;
    private double[] channelMean;

    public LayerData(String path, int channels, int height, int width, float[] values) {
        this.path = path;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.values = values;
    }

    /** From an NCHW (batch 1) or [N, k] output. */
    public static LayerData of(String path, INDArray a) {
        long[] s = a.shape();
        float[] v = Tensors.toFloats(a);
        if (s.length == 4) {
            return new LayerData(path, (int) s[1], (int) s[2], (int) s[3], v);
        }
        if (s.length == 2) {
            return new LayerData(path, (int) s[1], (int) s[0], 1, transpose(v, (int) s[0], (int) s[1]));
        }
        return new LayerData(path, 1, 1, v.length, v);
    }

    private static float[] transpose(float[] v, int rows, int cols) {
        float[] t = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = v[r * cols + c];
            }
        }
        return t;
    }

    public int plane() {
        return height * width;
    }

    public float value(int channel, int y, int x) {
        return values[channel * plane() + y * width + x];
    }

    private synchronized void channelStats() {
        if (channelMin != null) {
            return;
        }
        float[] mn = new float[channels];
        float[] mx = new float[channels];
        double[] mean = new double[channels];
        int p = plane();
        for (int c = 0; c < channels; c++) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            double sum = 0;
            for (int i = c * p; i < (c + 1) * p; i++) {
                float f = values[i];
                lo = Math.min(lo, f);
                hi = Math.max(hi, f);
                sum += f;
            }
            mn[c] = lo;
            mx[c] = hi;
            mean[c] = sum / p;
        }
        channelMin = mn;
        channelMax = mx;
        channelMean = mean;
    }

    public float channelMin(int c) {
        channelStats();
        return channelMin[c];
    }

    public float channelMax(int c) {
        channelStats();
        return channelMax[c];
    }

    public double channelMean(int c) {
        channelStats();
        return channelMean[c];
    }

    /** Channel indices, strongest mean activation first. */
    public Integer[] channelsByActivation() {
        channelStats();
        Integer[] idx = new Integer[channels];
        for (int i = 0; i < channels; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(channelMean[b], channelMean[a]));
        return idx;
    }

    /** Summary statistics of the whole output. */
    public record Stats(float min, float max, double mean, double std, double zeroFraction, double ceilingFraction,
                        long count) {
    }

    public Stats stats() {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        double sum = 0;
        double sq = 0;
        long zeros = 0;
        long ceiling = 0;
        for (float f : values) {
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
            sum += f;
            sq += (double) f * f;
            if (f == 0f) {
                zeros++;
            }
            if (f == 6f) {
                ceiling++;
            }
        }
        int n = values.length;
        double mean = sum / n;
        double var = Math.max(0, sq / n - mean * mean);
        return new Stats(lo, hi, mean, Math.sqrt(var), (double) zeros / n, (double) ceiling / n, n);
    }

    /** Counts in {@code bins} equal bins between min and max. */
    public long[] histogram(int bins) {
        Stats s = stats();
        long[] h = new long[bins];
        double span = s.max() - s.min();
        for (float f : values) {
            int b = span <= 0 ? 0 : (int) Math.min(bins - 1, (f - s.min()) / span * bins);
            h[b]++;
        }
        return h;
    }
}

package org.layerlens.engine.api;

import java.util.Arrays;

/**
 * One module's output as plain floats, copied out of the engine once: {@code channels x height x
 * width} with the values stored channels-last (row-major H, W, C: the layout the engine computes
 * in, so the copy is one block move). Flattened outputs ({@code [N, k]}) have height N, width 1.
 * Per-channel statistics are computed on first use.
 */
public final class LayerData {
    public final String path;
    public final int channels;
    public final int height;
    public final int width;
    /** Values in (H, W, C) order. */
    public final float[] values;
    /** True for a flattened {@code [N, k]} output (no spatial layout): height N, width 1. */
    public final boolean flat;
    private float[] channelMin;
    private float[] channelMax;
    private double[] channelMean;

    public LayerData(String path, int channels, int height, int width, float[] values) {
        this(path, channels, height, width, values, false);
    }

    public LayerData(String path, int channels, int height, int width, float[] values, boolean flat) {
        if ((long) channels * height * width != values.length) {
            throw new IllegalArgumentException(path + ": " + values.length + " values for " + channels + "x" + height
                    + "x" + width);
        }
        this.path = path;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.values = values;
        this.flat = flat;
    }

    /** The shape as PyTorch writes it: {@code [C, H, W]}. */
    public int[] shape() {
        return new int[] {channels, height, width};
    }

    public int plane() {
        return height * width;
    }

    public float value(int channel, int y, int x) {
        return values[(y * width + x) * channels + channel];
    }

    /** One channel as a row-major {@code height x width} plane. */
    public float[] channel(int c) {
        float[] out = new float[plane()];
        for (int i = 0, k = c; i < out.length; i++, k += channels) {
            out[i] = values[k];
        }
        return out;
    }

    /** The values in PyTorch's (C, H, W) order. */
    public float[] chw() {
        float[] out = new float[values.length];
        int p = plane();
        for (int i = 0; i < p; i++) {
            for (int c = 0; c < channels; c++) {
                out[c * p + i] = values[i * channels + c];
            }
        }
        return out;
    }

    private synchronized void channelStats() {
        if (channelMin != null) {
            return;
        }
        float[] mn = new float[channels];
        float[] mx = new float[channels];
        double[] sum = new double[channels];
        Arrays.fill(mn, Float.POSITIVE_INFINITY);
        Arrays.fill(mx, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < values.length; i++) {
            int c = i % channels;
            float f = values[i];
            mn[c] = Math.min(mn[c], f);
            mx[c] = Math.max(mx[c], f);
            sum[c] += f;
        }
        for (int c = 0; c < channels; c++) {
            sum[c] /= plane();
        }
        channelMin = mn;
        channelMax = mx;
        channelMean = sum;
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
        Arrays.sort(idx, (a, b) -> Double.compare(channelMean[b], channelMean[a]));
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

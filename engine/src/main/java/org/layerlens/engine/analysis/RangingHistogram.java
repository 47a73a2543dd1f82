package org.layerlens.engine.analysis;

/**
 * A histogram with exact counts over a stream whose range is not known in advance: {@link #BINS}
 * bins of a width that is a power of two, starting at a multiple of it. When a value falls
 * outside, the width doubles (pairs of bins merge, exactly) until the range covers it, so the
 * bins always span at most twice the data's range. Not thread-safe: its owner locks.
 */
final class RangingHistogram {
    static final int BINS = 64;
    private final long[] counts = new long[BINS];
    private double lo;
    private double width;   // 0 until the first values

    /** Widens the bins to cover {@code [min, max]} (finite values). */
    void cover(double min, double max) {
        if (width == 0) {
            double span = Math.max(max - min, Math.max(Math.abs(min), 1) * 0x1p-20);
            width = Math.scalb(1.0, Math.getExponent(span / BINS) + 1);
            lo = Math.floor(min / width) * width;
        }
        while (min < lo || max >= lo + BINS * width) {
            double w2 = width * 2;
            double lo2 = Math.floor(lo / w2) * w2;
            long[] merged = new long[BINS];
            for (int i = 0; i < BINS; i++) {
                int j = (int) ((lo + i * width - lo2) / w2);
                merged[j] += counts[i];
            }
            System.arraycopy(merged, 0, counts, 0, BINS);
            lo = lo2;
            width = w2;
        }
    }

    /** Counts {@code v[from, to)}; {@link #cover} must already span them. NaN is left out; infinities go to the end bins. */
    void addAll(float[] v, int from, int to) {
        double inv = 1 / width;
        long[] c = counts;
        for (int i = from; i < to; i++) {
            double x = v[i];
            int b = (int) ((x - lo) * inv);
            // NaN casts to 0: counted nowhere, without a branch
            c[Math.min(BINS - 1, Math.max(0, b))] += x == x ? 1 : 0;
        }
    }

    void merge(RangingHistogram o) {
        if (o.width == 0) {
            return;
        }
        cover(o.lo, o.lo + BINS * o.width - o.width / 2);
        for (int i = 0; i < BINS; i++) {
            counts[(int) ((o.lo + i * o.width - lo) / width)] += o.counts[i];
        }
    }

    /** The bins as data: first edge, width, counts ({@code lo + i * width} to {@code lo + (i + 1) * width}). */
    Histogram snapshot() {
        return new Histogram(lo, width, counts.clone());
    }
}

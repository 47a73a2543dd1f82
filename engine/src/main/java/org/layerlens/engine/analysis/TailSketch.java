package org.layerlens.engine.analysis;

import java.util.Arrays;

/**
 * Streaming high quantiles of {@code |x|} for one channel, in bounded memory, with a stated
 * error: a log-bucketed histogram in the family of HdrHistogram and DDSketch (Masson, Rim and
 * Lee, VLDB 2019). A value's bucket is its float bits without the low 17 mantissa bits, so each
 * power of two holds 64 buckets of equal width, and the bucket's midpoint is within
 * {@link #RELATIVE_ERROR} (2^-7, 0.78%) of every value in it. Counts are exact, so the rank of a
 * quantile is exact and only its value carries that error.
 * <p>
 * Memory: only the top {@link #WINDOW} buckets (8 powers of two below the largest value seen)
 * are kept, in one 2 KB array for the whole run; values below them are counted, not placed
 * (exact zeros separately). A quantile that
 * falls below the window is reported as the window's lower edge and flagged by
 * {@link #inWindow}. The high quantiles asked for here (99.9%, 99.99%) lie within a factor 256
 * of the maximum for any layer seen so far.
 * <p>
 * Why not t-digest: measured here, t-digest 3.3 (MergingDigest) took 150-1,250 ns per value and
 * 6-24 KB per channel; mb2-ssd-lite has 73,656 channels over 38 million values per image.
 * Not thread-safe: its owner locks.
 */
final class TailSketch {
    static final int SHIFT = 17;
    static final double RELATIVE_ERROR = 1.0 / 128;
    static final int WINDOW = 512;
    private static final int SLACK = 16;

    private int[] counts;   // counts[i] for bucket base + i
    private int base;       // bucket index of counts[0]
    private long zeros;
    private long below;     // non-zero values under the window
    private long total;

    static int bucket(float absValue) {
        return Float.floatToRawIntBits(absValue) >>> SHIFT;
    }

    /** Adds every value of {@code v[from, to)} (signs dropped). */
    void addAll(float[] v, int from, int to) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = 0;
        for (int i = from; i < to; i++) {
            float a = Math.abs(v[i]);
            if (a != 0f) {
                lo = Math.min(lo, a);
                hi = Math.max(hi, a);
            }
        }
        prepare(lo, hi);
        for (int i = from; i < to; i++) {
            add(v[i]);
        }
    }

    /** Makes room for non-zero magnitudes in {@code [lo, hi]} before {@link #add}ing them (nothing when there are none). */
    void prepare(float lo, float hi) {
        if (hi > 0 && lo <= hi && Float.isFinite(hi)) {
            cover(bucket(lo), bucket(hi));
        }
    }

    /**
     * Adds {@code v[from], v[from + stride], ...} below {@code to}, of which {@code zeroCount} are
     * exactly zero (the caller counted them), after {@link #prepare}. Branch-free: every value
     * below the kept buckets, zeros included, goes to one spare slot, sorted out afterwards.
     */
    void addStrided(float[] v, int from, int to, int stride, long zeroCount) {
        if (counts == null) {
            for (int i = from; i < to; i += stride) {
                add(v[i]);
            }
            return;
        }
        int[] c = counts;
        int last = c.length - 1;
        int b0 = base;
        long spill = 0;
        long nans = 0;
        long seen = 0;
        for (int i = from; i < to; i += stride) {
            float a = Math.abs(v[i]);
            boolean nan = a != a;
            // zeros and NaN (whose bits lie above infinity's) get no bucket; spilled, sorted out below
            int k = nan || a == 0f ? -1 : bucket(a) - b0;
            spill += k < 0 ? 1 : 0;
            nans += nan ? 1 : 0;
            c[Math.max(0, Math.min(k, last))] += k < 0 ? 0 : 1;
            seen++;
        }
        zeros += zeroCount;
        below += spill - nans - zeroCount;
        total += seen - nans;
    }

    /** Adds one value (its magnitude); {@link #prepare} must have made room for it, else it counts as below the window. */
    void add(float v) {
        float a = Math.abs(v);
        if (a == 0f) {
            zeros++;
            total++;
            return;
        }
        if (a != a) {
            return; // NaN has no place
        }
        int k = bucket(a) - base;
        if (counts != null && k >= 0 && k < counts.length) {
            counts[k]++;
        } else {
            below++;
        }
        total++;
    }

    /**
     * Moves the kept buckets so that {@code hi} is within them: the window is {@link #WINDOW}
     * buckets from the first time values come, its top a little above the largest seen, and it
     * only ever moves up, folding the buckets that fall out into {@code below}. One array for the
     * whole run: memory does not grow with the number of images.
     */
    private void cover(int lo, int hi) {
        if (counts == null) {
            counts = new int[WINDOW];
            base = Math.max(0, hi + SLACK - WINDOW + 1);
            return;
        }
        int top = base + WINDOW - 1;
        if (hi <= top) {
            return;
        }
        int shift = hi + SLACK - top;
        for (int i = 0; i < Math.min(shift, WINDOW); i++) {
            below += counts[i];
        }
        if (shift < WINDOW) {
            System.arraycopy(counts, shift, counts, 0, WINDOW - shift);
        }
        java.util.Arrays.fill(counts, Math.max(0, WINDOW - shift), WINDOW, 0);
        base += shift;
    }

    long count() {
        return total;
    }

    /** Adds another sketch's counts (merging channels into one tensor's sketch). */
    void merge(TailSketch o) {
        if (o.counts == null) {
            zeros += o.zeros;
            below += o.below;
            total += o.total;
            return;
        }
        cover(o.base, o.base + o.counts.length - 1);
        for (int i = 0; i < o.counts.length; i++) {
            int k = o.base + i - base;
            if (k >= 0) {
                counts[k] += o.counts[i];
            } else {
                below += o.counts[i];
            }
        }
        zeros += o.zeros;
        below += o.below;
        total += o.total;
    }

    /**
     * The value at rank {@code ceil(q * n)} of the sorted {@code |x|} (the inverted-CDF quantile,
     * NumPy's {@code method="inverted_cdf"}), within {@link #RELATIVE_ERROR} of it when
     * {@link #inWindow}; 0 when no values were seen.
     */
    double quantile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        if (rank <= zeros) {
            return 0;
        }
        if (rank <= zeros + below) {
            return lowerEdge(base);
        }
        long seen = zeros + below;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return (lowerEdge(base + i) + lowerEdge(base + i + 1)) / 2;
            }
        }
        return lowerEdge(base + counts.length);
    }

    /** Whether {@link #quantile}{@code (q)} is placed within the kept buckets (else it is an upper bound). */
    boolean inWindow(double q) {
        long rank = Math.max(1, (long) Math.ceil(q * total));
        return rank <= zeros || rank > zeros + below;
    }

    private static double lowerEdge(int bucket) {
        return Float.intBitsToFloat(bucket << SHIFT);
    }
}

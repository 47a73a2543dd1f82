package org.layerlens.engine.analysis;

/**
 * How far one tensor {@code b} is from a reference {@code a} of the same shape: the largest and
 * the mean absolute difference, the relative error {@code max|a-b| / max(1, max|a|)} (the
 * project's parity measure), the cosine similarity, and the signal-to-quantisation-noise ratio
 * {@code 10 log10(sum a^2 / sum (a-b)^2)} in dB ({@code +Infinity} when the two are equal).
 */
public record LayerMetrics(double maxAbs, double meanAbs, double relErr, double cosine, double sqnrDb) {

    /** One pass over both arrays, sums in double. */
    public static LayerMetrics of(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("compares " + a.length + " values with " + b.length);
        }
        return of(a, b, a.length);
    }

    /** The figures of the first {@code n} values of {@code a} and {@code b}. */
    public static LayerMetrics of(float[] a, float[] b, int n) {
        double maxDiff = 0;
        double sumDiff = 0;
        double maxA = 0;
        double dot = 0;
        double aa = 0;
        double bb = 0;
        double noise = 0;
        for (int i = 0; i < n; i++) {
            double x = a[i];
            double y = b[i];
            double d = Math.abs(x - y);
            maxDiff = d > maxDiff || Double.isNaN(d) ? d : maxDiff; // a NaN stays: the layer is broken
            sumDiff += d;
            maxA = Math.max(maxA, Math.abs(x));
            dot += x * y;
            aa += x * x;
            bb += y * y;
            noise += d * d;
        }
        return of(maxDiff, sumDiff, maxA, dot, aa, bb, noise, n);
    }

    /**
     * The figures from the sums over {@code n} values: max |a-b|, sum |a-b|, max |a|, sum ab,
     * sum a^2, sum b^2 and sum (a-b)^2.
     */
    static LayerMetrics of(double maxDiff, double sumDiff, double maxA, double dot, double aa, double bb,
                           double noise, int n) {
        double mean = n == 0 ? 0 : sumDiff / n;
        // equal tensors: exactly 1 (sums taken in different orders may put it a hair above); else within [-1, 1]
        double cosine = noise == 0 || aa == 0 && bb == 0 ? 1 : aa == 0 || bb == 0 ? 0
                : Math.max(-1, Math.min(1, dot / Math.sqrt(aa * bb)));
        double sqnr = noise == 0 ? Double.POSITIVE_INFINITY : aa == 0 ? Double.NEGATIVE_INFINITY
                : 10 * Math.log10(aa / noise);
        return new LayerMetrics(maxDiff, mean, maxDiff / Math.max(1, maxA), cosine, sqnr);
    }

    /** Whether this tensor parts from its reference by more than {@code tolerance} (relative error; NaN parts). */
    public boolean diverges(double tolerance) {
        return !(relErr <= tolerance);
    }
}

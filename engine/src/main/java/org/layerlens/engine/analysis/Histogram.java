package org.layerlens.engine.analysis;

/** Counts in equal bins: bin {@code i} holds values in {@code [lo + i * width, lo + (i + 1) * width)}. */
public record Histogram(double lo, double width, long[] counts) {
    public double edge(int i) {
        return lo + i * width;
    }
}

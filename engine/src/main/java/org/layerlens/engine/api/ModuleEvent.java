package org.layerlens.engine.api;

/**
 * One module finished: its path, type, input and output shapes ({@code [C, H, W]} for feature
 * maps, as PyTorch reports them) and the time its ops took (children included). {@code fused}:
 * its ops went into another module's op (a batch norm folded into its convolution, an activation
 * fused into it): its time is counted there, and its own {@code nanos} is 0.
 */
public record ModuleEvent(String path, String type, int[] inputShape, int[] outputShape, long nanos, boolean fused) {
    /** The time column's text: milliseconds with {@code decimals} decimals, or "fused". */
    public String millis(int decimals) {
        return fused ? "fused" : String.format(java.util.Locale.ROOT, "%." + decimals + "f", nanos / 1e6);
    }
}

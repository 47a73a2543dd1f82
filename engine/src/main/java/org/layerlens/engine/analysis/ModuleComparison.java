package org.layerlens.engine.analysis;

/**
 * One module's outputs in the two runs of a comparison. {@code shape} is {@code [C, H, W]} as
 * PyTorch prints it (A's). When {@code comparable} is false, {@code metrics} is null and
 * {@code reason} says why (no counterpart: folded into a convolution on one side; shapes differ).
 */
public record ModuleComparison(String path, String type, int[] shape, boolean comparable, String reason,
                               LayerMetrics metrics) {
}

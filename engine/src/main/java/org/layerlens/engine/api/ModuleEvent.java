package org.layerlens.engine.api;

/**
 * One module finished: its path, type, input and output shapes ({@code [C, H, W]} for feature
 * maps, as PyTorch reports them) and the time its ops took (children included).
 */
public record ModuleEvent(String path, String type, int[] inputShape, int[] outputShape, long nanos) {
}

package org.layerlens.engine.ssd;

/** One SSD feature map: its size, its stride in input pixels and its min/max box sizes. */
public record PriorSpec(int featureMapSize, int shrinkage, double minSize, double maxSize, int[] aspectRatios) {
}

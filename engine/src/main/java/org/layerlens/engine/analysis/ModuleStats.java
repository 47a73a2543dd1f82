package org.layerlens.engine.analysis;

import java.util.List;

/**
 * One module's output over every image: per channel figures, the channels that were exactly zero
 * everywhere ("dead") and those at the ReLU6 ceiling everywhere ("saturated"), a histogram of all
 * its values, and the whole tensor's range (what a calibration table is made from).
 */
public record ModuleStats(String path, String type, int[] shape, List<ChannelStats> channels, int[] dead,
                          int[] saturated, Histogram histogram, TensorRange range) {

    /**
     * The whole tensor: exact min and max, and percentiles of {@code |x|} over all its channels
     * (the channels' sketches merged).
     */
    public record TensorRange(float min, float max, double p999, double p9999) {
    }
}

package org.layerlens.engine.analysis;

/**
 * One channel of one module's output over every image of a run: exact minimum, maximum, mean and
 * standard deviation (population, as NumPy's {@code std}), share of exact zeros and of values at
 * the ReLU6 ceiling (exactly 6), and the 99.9th and 99.99th percentiles of {@code |x|} from a
 * {@link TailSketch} (within 0.78% of the true order statistic).
 */
public record ChannelStats(float min, float max, double mean, double std, double zeros, double atCeiling,
                           double p999, double p9999) {
}

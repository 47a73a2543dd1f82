package org.layerlens.engine.graph;

/** Elementwise activations, with PyTorch's definitions (hardsigmoid = relu6(x + 3) / 6). */
public enum Activation {
    NONE, RELU, RELU6, HARDSWISH, HARDSIGMOID, SIGMOID;

    /** The scalar definition, used by tests and by the Java reference paths. */
    public double apply(double x) {
        return switch (this) {
            case NONE -> x;
            case RELU -> Math.max(0, x);
            case RELU6 -> Math.min(6, Math.max(0, x));
            case HARDSIGMOID -> Math.min(6, Math.max(0, x + 3)) / 6;
            case HARDSWISH -> x * Math.min(6, Math.max(0, x + 3)) / 6;
            case SIGMOID -> 1 / (1 + Math.exp(-x));
        };
    }
}

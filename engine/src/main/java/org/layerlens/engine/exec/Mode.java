package org.layerlens.engine.exec;

/**
 * The speeds over one traced graph:
 * <ul>
 * <li>{@link #INSPECT}: every op runs on its own and every module's output can be read; the
 * outputs of cheap elementwise ops (batch norm, activations) are computed again when read
 * rather than kept, so a pass writes half the memory (the window reads a few modules);</li>
 * <li>{@link #INSPECT_ALL}: the same ops, every value in a buffer of its own and nothing computed
 * twice: for analyses that read every module (compare, stats), where recomputing the elementwise
 * outputs cost more than the pass (compare of the default model: reads 134 ms against 37 ms);</li>
 * <li>{@link #FAST}: batch norm folded into the convolution before it, activations and residual
 * adds fused into the op that produces their input, buffers reused as soon as a value is dead;
 * only the heads' outputs come out.</li>
 * </ul>
 */
public enum Mode {
    INSPECT, INSPECT_ALL, FAST;

    /** Whether every module's output can be read after a pass. */
    boolean inspects() {
        return this != FAST;
    }
}

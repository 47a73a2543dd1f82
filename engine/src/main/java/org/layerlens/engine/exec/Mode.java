package org.layerlens.engine.exec;

/**
 * The speeds over one traced graph:
 * <ul>
 * <li>{@link #INSPECT}: the fused graph of {@link #FAST}, every value it computes kept, so every
 * module's output can be read after the pass: what fusion took away (a convolution's own output,
 * its batch norm's) is computed again from the kept input when read, with the unfused op (the
 * window reads a few modules; 1.26x a fast pass against 1.52x when every op ran on its own);</li>
 * <li>{@link #INSPECT_ALL}: the unfused graph, every op on its own and every value in a buffer of
 * its own, nothing computed twice: for analyses that read every module (compare, stats), where
 * computing outputs again cost more than the pass (compare of the default model: reads 134 ms
 * against 37 ms);</li>
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

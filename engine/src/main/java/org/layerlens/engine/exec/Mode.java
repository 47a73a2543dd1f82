package org.layerlens.engine.exec;

/**
 * The two speeds over one traced graph:
 * <ul>
 * <li>{@link #INSPECT}: every op runs on its own and every value is kept, so every module's
 * output can be shown;</li>
 * <li>{@link #FAST}: batch norm folded into the convolution before it, activations and residual
 * adds fused into the op that produces their input, buffers reused as soon as a value is dead;
 * only the heads' outputs come out.</li>
 * </ul>
 */
public enum Mode {
    INSPECT, FAST
}

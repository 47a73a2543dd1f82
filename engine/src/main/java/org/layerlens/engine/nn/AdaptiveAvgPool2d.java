package org.layerlens.engine.nn;

import org.layerlens.engine.graph.Tracer;
import org.layerlens.engine.graph.Value;

/** {@code torch.nn.AdaptiveAvgPool2d(1)}: the mean of each channel (squeeze-excite's squeeze). */
public final class AdaptiveAvgPool2d extends Module {
    @Override
    public Value forward(Value x, Tracer t) {
        return t.globalAvgPool(x);
    }

    @Override
    public String extraRepr() {
        return "output_size=1";
    }
}

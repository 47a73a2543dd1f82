package org.layerlens.engine.nn;

import java.util.List;

import org.layerlens.engine.graph.Tracer;
import org.layerlens.engine.graph.Value;

/**
 * SqueezeNet's Fire module (torchvision's, as pytorch-ssd's {@code vision/nn/squeezenet.py} has
 * it): a 1x1 squeeze with ReLU, then 1x1 and 3x3 expansions with ReLU side by side, concatenated
 * along channels (1x1 first).
 */
public final class Fire extends Module {
    public final int in;

    public Fire(int in, int squeeze, int expand1x1, int expand3x3) {
        this.in = in;
        add("squeeze", new Conv2d(in, squeeze, 1, 1, 0, 1, true));
        add("squeeze_activation", Act.relu(true));
        add("expand1x1", new Conv2d(squeeze, expand1x1, 1, 1, 0, 1, true));
        add("expand1x1_activation", Act.relu(true));
        add("expand3x3", new Conv2d(squeeze, expand3x3, 3, 1, 1, 1, true));
        add("expand3x3_activation", Act.relu(true));
    }

    @Override
    public Value forward(Value x, Tracer t) {
        Value s = t.call(child("squeeze_activation"), t.call(child("squeeze"), x));
        Value e1 = t.call(child("expand1x1_activation"), t.call(child("expand1x1"), s));
        Value e3 = t.call(child("expand3x3_activation"), t.call(child("expand3x3"), s));
        return t.concat(List.of(e1, e3));
    }
}

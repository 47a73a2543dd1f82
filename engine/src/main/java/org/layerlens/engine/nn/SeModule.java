package org.layerlens.engine.nn;

import org.layerlens.engine.graph.Tracer;
import org.layerlens.engine.graph.Value;

/**
 * pytorch-ssd's MobileNetV3 squeeze-excite ({@code vision/nn/mobilenetv3.py}): {@code x * se(x)}
 * with {@code se} = global average pool, 1x1 conv to C / 4, batch norm, ReLU, 1x1 conv back to C,
 * batch norm, hsigmoid. The product is traced as a per-channel multiply by the {@code [1, 1, C]}
 * scale, so the module's output is the rescaled map and {@code se}'s the scale itself.
 */
public final class SeModule extends Module {
    public final int channels;

    public SeModule(int channels) {
        this.channels = channels;
        int mid = channels / 4;
        add("se", new Sequential(new AdaptiveAvgPool2d(), new Conv2d(channels, mid, 1, 1, 0, 1, false),
                new BatchNorm2d(mid), Act.relu(true), new Conv2d(mid, channels, 1, 1, 0, 1, false),
                new BatchNorm2d(channels), Act.hsigmoid()));
    }

    @Override
    public Value forward(Value x, Tracer t) {
        return t.mul(x, t.call(child("se"), x));
    }
}

package org.layerlens.engine.nn;

import java.util.ArrayList;
import java.util.List;

import org.layerlens.engine.graph.Activation;
import org.layerlens.engine.graph.Tracer;
import org.layerlens.engine.graph.Value;

/**
 * MobileNetV2's inverted residual block: optional 1x1 expansion to round(in * ratio) channels,
 * 3x3 depthwise, linear 1x1 projection; the input is added when stride is 1 and in == out.
 */
public final class InvertedResidual extends Module {
    public final int in;
    public final int out;
    public final int stride;
    public final double expandRatio;
    public final boolean residual;

    public InvertedResidual(int in, int out, int stride, double expandRatio) {
        this.in = in;
        this.out = out;
        this.stride = stride;
        this.expandRatio = expandRatio;
        this.residual = stride == 1 && in == out;
        int hidden = (int) Math.round(in * expandRatio);
        List<Module> layers = new ArrayList<>();
        if (expandRatio != 1) {
            layers.add(new Conv2d(in, hidden, 1, 1, 0, 1, false));
            layers.add(new BatchNorm2d(hidden));
            layers.add(Act.relu6(true));
        }
        layers.add(new Conv2d(hidden, hidden, 3, stride, 1, hidden, false));
        layers.add(new BatchNorm2d(hidden));
        layers.add(Act.relu6(true));
        layers.add(new Conv2d(hidden, out, 1, 1, 0, 1, false));
        layers.add(new BatchNorm2d(out));
        add("conv", new Sequential(layers.toArray(new Module[0])));
    }

    @Override
    public Value forward(Value x, Tracer t) {
        Value y = t.call(child("conv"), x);
        return residual ? t.add(y, x, Activation.NONE) : y;
    }
}

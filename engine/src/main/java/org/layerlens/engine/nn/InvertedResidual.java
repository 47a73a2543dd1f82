package org.layerlens.engine.nn;

import java.util.ArrayList;
import java.util.List;

import org.layerlens.engine.exec.Execution;
import org.nd4j.linalg.api.ndarray.INDArray;

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
            layers.add(new ReLU6(true));
        }
        layers.add(new Conv2d(hidden, hidden, 3, stride, 1, hidden, false));
        layers.add(new BatchNorm2d(hidden));
        layers.add(new ReLU6(true));
        layers.add(new Conv2d(hidden, out, 1, 1, 0, 1, false));
        layers.add(new BatchNorm2d(out));
        add("conv", new Sequential(layers.toArray(new Module[0])));
    }

    @Override
    public INDArray forward(INDArray x, Execution ex) {
        INDArray y = ex.call(child("conv"), x);
        if (!residual) {
            return y;
        }
        return ex.mayOverwrite(y) ? y.addi(x) : y.add(x);
    }
}

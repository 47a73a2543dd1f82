package org.layerlens.engine.nn;

import org.layerlens.engine.graph.Padding;
import org.layerlens.engine.graph.Tracer;
import org.layerlens.engine.graph.Value;

/**
 * {@code torch.nn.MaxPool2d}: symmetric padding; with {@code ceil_mode} the last window may hang
 * over the bottom and right edge (VGG's pool3: 75 -> 38), traced as extra padding there.
 */
public final class MaxPool2d extends Module {
    public final int kernel;
    public final int stride;
    public final int padding;
    public final boolean ceilMode;

    public MaxPool2d(int kernel, int stride, int padding, boolean ceilMode) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
    }

    @Override
    public Value forward(Value x, Tracer t) {
        int extraH = ceilMode ? ceilExtra(x.height()) : 0;
        int extraW = ceilMode ? ceilExtra(x.width()) : 0;
        return t.pool(x, true, kernel, kernel, stride, stride,
                new Padding(padding, padding, padding + extraH, padding + extraW));
    }

    /** Rows to add so that floor division gives PyTorch's ceil-mode size (whose last window starts inside). */
    private int ceilExtra(int in) {
        int span = in + 2 * padding - kernel;
        int out = (span + stride - 1) / stride + 1;
        if ((out - 1) * stride >= in + padding) {
            out--; // PyTorch: the last window must start inside the input or left padding
        }
        return Math.max(0, (out - 1) * stride + kernel - (in + 2 * padding));
    }

    @Override
    public String extraRepr() {
        return "kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding + ", dilation=1, ceil_mode="
                + (ceilMode ? "True" : "False");
    }
}

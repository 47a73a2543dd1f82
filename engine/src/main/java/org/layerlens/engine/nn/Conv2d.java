package org.layerlens.engine.nn;

import org.layerlens.engine.graph.Padding;
import org.layerlens.engine.graph.Tracer;
import org.layerlens.engine.graph.Value;

/**
 * {@code torch.nn.Conv2d}: square kernels, symmetric padding or TensorFlow's {@code 'same'}
 * padding (for a stride of 2 on an even size: one row and column more at the bottom and right),
 * dilation, groups 1 or depthwise.
 */
public final class Conv2d extends Module {
    public final int in;
    public final int out;
    public final int kernel;
    public final int stride;
    public final int padding;
    public final int dilation;
    public final int groups;
    public final boolean bias;
    /** TensorFlow's 'same' padding instead of {@link #padding}. */
    public final boolean same;

    public Conv2d(int in, int out, int kernel, int stride, int padding, int groups, boolean bias) {
        this(in, out, kernel, stride, padding, 1, groups, bias, false);
    }

    public Conv2d(int in, int out, int kernel, int stride, int padding, int dilation, int groups, boolean bias) {
        this(in, out, kernel, stride, padding, dilation, groups, bias, false);
    }

    /** A convolution with TensorFlow's 'same' padding (face-api's layers). */
    public static Conv2d same(int in, int out, int kernel, int stride, int groups, boolean bias) {
        return new Conv2d(in, out, kernel, stride, 0, 1, groups, bias, true);
    }

    private Conv2d(int in, int out, int kernel, int stride, int padding, int dilation, int groups, boolean bias,
                   boolean same) {
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("channels not divisible by groups");
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        this.bias = bias;
        this.same = same;
        declare("weight", out, in / groups, kernel, kernel);
        if (bias) {
            declare("bias", out);
        }
    }

    public boolean depthwise() {
        return groups != 1 && groups == in;
    }

    @Override
    public Value forward(Value x, Tracer t) {
        Padding pad = same ? Padding.same(x.height(), x.width(), kernel, stride, dilation) : Padding.symmetric(padding);
        return t.conv(x, in, out, kernel, kernel, stride, stride, pad, dilation, groups, dataOrNull("weight"),
                bias ? dataOrNull("bias") : null);
    }

    @Override
    public String extraRepr() {
        StringBuilder sb = new StringBuilder();
        sb.append(in).append(", ").append(out)
          .append(", kernel_size=(").append(kernel).append(", ").append(kernel).append(')')
          .append(", stride=(").append(stride).append(", ").append(stride).append(')');
        if (same) {
            sb.append(", padding=same");
        } else if (padding != 0) {
            sb.append(", padding=(").append(padding).append(", ").append(padding).append(')');
        }
        if (dilation != 1) {
            sb.append(", dilation=(").append(dilation).append(", ").append(dilation).append(')');
        }
        if (groups != 1) {
            sb.append(", groups=").append(groups);
        }
        if (!bias) {
            sb.append(", bias=False");
        }
        return sb.toString();
    }
}

package org.layerlens.engine.nn;

import org.layerlens.engine.exec.Execution;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code torch.nn.Conv2d}: square kernels, symmetric padding or TensorFlow's {@code 'same'}
 * padding (for a stride of 2 on an even size: one row and column more at the bottom and right,
 * none at the top and left), groups 1 or depthwise.
 */
public final class Conv2d extends Module {
    public final int in;
    public final int out;
    public final int kernel;
    public final int stride;
    public final int padding;
    public final int groups;
    public final boolean bias;
    /** TensorFlow's 'same' padding instead of {@link #padding}. */
    public final boolean same;
    private final Conv2DConfig config;

    /** Weights in the layout the ND4J op wants (depthwise: [kh, kw, C, multiplier]). */
    private INDArray opWeight;
    private BatchNorm2d foldedWith;
    private INDArray foldedWeight;
    private INDArray foldedBias;

    public Conv2d(int in, int out, int kernel, int stride, int padding, int groups, boolean bias) {
        this(in, out, kernel, stride, padding, groups, bias, false);
    }

    /** A convolution with TensorFlow's 'same' padding (face-api's layers). */
    public static Conv2d same(int in, int out, int kernel, int stride, int groups, boolean bias) {
        return new Conv2d(in, out, kernel, stride, 0, groups, bias, true);
    }

    private Conv2d(int in, int out, int kernel, int stride, int padding, int groups, boolean bias, boolean same) {
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("channels not divisible by groups");
        }
        if (groups != 1 && groups != in) {
            throw new IllegalArgumentException("only groups=1 and depthwise convolutions are supported");
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.groups = groups;
        this.bias = bias;
        this.same = same;
        declare("weight", out, in / groups, kernel, kernel);
        if (bias) {
            declare("bias", out);
        }
        this.config = Conv2DConfig.builder()
                .kH(kernel).kW(kernel).sH(stride).sW(stride).pH(padding).pW(padding).dH(1).dW(1)
                .paddingMode(same ? PaddingMode.SAME : PaddingMode.VALID).dataFormat("NCHW").weightsFormat(WeightsFormat.OIYX)
                .build();
    }

    public boolean depthwise() {
        return groups != 1;
    }

    /** A 1x1, stride 1, unpadded, ungrouped convolution: a matrix product over the pixels. */
    public boolean pointwise() {
        return kernel == 1 && stride == 1 && padding == 0 && groups == 1; // 'same' pads nothing here
    }

    private INDArray w2dSource;
    private INDArray w2d;

    /** The [out, in] matrix of a 1x1 weight, made once per weight array. */
    private INDArray w2d(INDArray w) {
        if (w != w2dSource) {
            w2d = w.reshape('c', out, in);
            w2dSource = w;
        }
        return w2d;
    }

    /**
     * [out, in] x [in, H*W] as one GEMM in the NCHW layout: measured faster here than the conv op,
     * which reorders to and from oneDNN's blocked layout around every call.
     */
    private INDArray pointwise(INDArray x, INDArray w, INDArray b) {
        long h = x.size(2);
        long wd = x.size(3);
        INDArray x2 = x.reshape('c', in, h * wd);
        // libnd4j's matmul op into a fresh c-order [out, H*W] matrix, whose buffer is the NCHW result
        INDArray y = Nd4j.createUninitialized(x.dataType(), new long[] {out, h * wd}, 'c');
        Nd4j.exec(new Mmul(w2d(w), x2, y, MMulTranspose.allFalse()));
        if (b != null) {
            y.addiColumnVector(b.reshape(out, 1));
        }
        INDArray y4 = Nd4j.create(y.data(), new long[] {1, out, h, wd}, new long[] {out * h * wd, h * wd, wd, 1}, 0,
                'c', x.dataType());
        return y4;
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
        if (groups != 1) {
            sb.append(", groups=").append(groups);
        }
        if (!bias) {
            sb.append(", bias=False");
        }
        return sb.toString();
    }

    @Override
    protected void loaded() {
        opWeight = toOpLayout(tensor("weight"));
        foldedWith = null;
        foldedWeight = null;
        foldedBias = null;
    }

    private INDArray toOpLayout(INDArray torchWeight) {
        if (!depthwise()) {
            return torchWeight;
        }
        // PyTorch [C*m, 1, kh, kw] -> ND4J depthwise [kh, kw, C, m]; a reshape alone is wrong.
        int m = out / in;
        return torchWeight.reshape('c', in, m, kernel, kernel).permute(2, 3, 0, 1).dup('c');
    }

    @Override
    public INDArray forward(INDArray x, Execution ex) {
        return apply(x, opWeight, bias ? tensor("bias") : null);
    }

    /** This convolution followed by {@code bn}, as one convolution with folded weights. */
    public INDArray forwardFolded(INDArray x, BatchNorm2d bn) {
        if (foldedWith != bn) {
            fold(bn);
        }
        return apply(x, foldedWeight, foldedBias);
    }

    /** Computes the folded weights for {@code bn} now (outside any workspace). */
    void prepareFold(BatchNorm2d bn) {
        try (org.nd4j.linalg.api.memory.MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            fold(bn);
            if (pointwise()) {
                w2d(foldedWeight);
            }
        }
    }

    private synchronized void fold(BatchNorm2d bn) {
        if (foldedWith == bn) {
            return;
        }
        INDArray scale = bn.scale(); // gamma / sqrt(var + eps), [out]
        INDArray w2 = tensor("weight").reshape('c', out, (long) (in / groups) * kernel * kernel).dup('c');
        w2.muliColumnVector(scale.reshape(out, 1));
        INDArray b = bias ? tensor("bias").dup() : Nd4j.zeros(tensor("weight").dataType(), out);
        INDArray fb = b.sub(bn.runningMean()).muli(scale).addi(bn.beta());
        foldedWeight = toOpLayout(w2.reshape('c', out, in / groups, kernel, kernel));
        foldedBias = fb;
        foldedWith = bn;
    }

    private INDArray apply(INDArray x, INDArray w, INDArray b) {
        if (pointwise() && x.size(0) == 1) {
            return pointwise(x, w, b);
        }
        if (depthwise()) {
            return b == null ? Nd4j.cnn().depthWiseConv2d(x, w, config)
                    : Nd4j.cnn().depthWiseConv2d(x, w, b, config);
        }
        return b == null ? Nd4j.cnn().conv2d(x, w, config) : Nd4j.cnn().conv2d(x, w, b, config);
    }
}

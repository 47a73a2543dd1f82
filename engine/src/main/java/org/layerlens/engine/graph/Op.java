package org.layerlens.engine.graph;

import java.util.List;

/**
 * One operation of a traced graph. Every op belongs to the module that emitted it
 * ({@link #path()}, a leaf of the module tree) and produces one value. Ops are immutable: the
 * fast and inspect passes' fusions make new ops (a convolution that also applies the batch norm, the
 * activation and the residual add after it) and leave the traced graph as it was.
 */
public sealed interface Op {
    /** The module that emitted this op (a dotted PyTorch path, or a TF scope). */
    String path();

    List<Value> inputs();

    Value output();

    /** Multiply-adds of this op (convolutions and dense layers; 0 for elementwise ops). */
    default long macs() {
        return 0;
    }

    /**
     * A 2-D convolution. Weights in PyTorch's layout {@code [out, in / groups, kh, kw]}; groups is
     * 1 or {@code in} (depthwise, {@code out = in * multiplier}). The fast pass may fuse a bias, an
     * activation and a residual add into it.
     */
    record Conv(String path, Value input, Value output, int in, int out, int kernelH, int kernelW, int strideH,
                int strideW, Padding padding, int dilation, int groups, float[] weight, float[] bias,
                Activation activation, Value residual) implements Op {
        public List<Value> inputs() {
            return residual == null ? List.of(input) : List.of(input, residual);
        }

        public boolean depthwise() {
            return groups != 1 && groups == in;
        }

        /** A 1x1, stride 1, unpadded, ungrouped convolution: a matrix product over the pixels. */
        public boolean pointwise() {
            return kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padding.none() && groups == 1;
        }

        @Override
        public long macs() {
            return (long) output.height() * output.width() * out * (in / groups) * kernelH * kernelW;
        }

        /**
         * This convolution's shape and what is fused into it, without its weights and bias: what a
         * compiled kernel keeps once it holds the weights in native memory.
         */
        public Conv withoutWeights() {
            return with(null, null, activation, residual, output);
        }

        public Conv with(float[] newWeight, float[] newBias, Activation act, Value newResidual, Value newOutput) {
            return new Conv(path, input, newOutput, in, out, kernelH, kernelW, strideH, strideW, padding, dilation,
                    groups, newWeight, newBias, act, newResidual);
        }

        /**
         * This convolution followed by the per-channel {@code x * s + t} of {@code bn} (an inference
         * batch norm), as one convolution: weights scaled per output channel, bias {@code b * s + t}.
         */
        public Conv folded(Affine bn) {
            float[] s = bn.scale();
            float[] t = bn.shift();
            float[] w = weight.clone();
            int per = w.length / out;
            for (int o = 0; o < out; o++) {
                for (int k = 0; k < per; k++) {
                    w[o * per + k] *= s[o];
                }
            }
            float[] b = new float[out];
            for (int o = 0; o < out; o++) {
                double b0 = bias == null ? 0 : bias[o];
                b[o] = (float) (b0 * s[o] + t[o]);
            }
            return with(w, b, Activation.NONE, null, bn.output());
        }
    }

    /** Per-channel {@code x * scale + shift} (an inference batch norm), then an optional activation. */
    record Affine(String path, Value input, Value output, float[] scale, float[] shift, Activation activation)
            implements Op {
        public List<Value> inputs() {
            return List.of(input);
        }
    }

    /** An elementwise activation. */
    record Act(String path, Value input, Value output, Activation activation) implements Op {
        public List<Value> inputs() {
            return List.of(input);
        }
    }

    /** {@code a + b} (same shapes), then an optional activation (TFLite's fused ADD). */
    record Add(String path, Value a, Value b, Value output, Activation activation) implements Op {
        public List<Value> inputs() {
            return List.of(a, b);
        }
    }

    /** {@code a * b}, where {@code b} has a's shape or is {@code [1, 1, C]} (squeeze-excite's scale). */
    record Mul(String path, Value a, Value b, Value output) implements Op {
        public List<Value> inputs() {
            return List.of(a, b);
        }
    }

    /** Concatenation along the last axis (channels of feature maps) or the first (rows of [N, k]). */
    record Concat(String path, List<Value> parts, Value output, boolean lastAxis) implements Op {
        public List<Value> inputs() {
            return parts;
        }
    }

    /** Max or average pooling over windows; padding is -inf for max, excluded from the average. */
    record Pool(String path, Value input, Value output, boolean max, int kernelH, int kernelW, int strideH,
                int strideW, Padding padding) implements Op {
        public List<Value> inputs() {
            return List.of(input);
        }
    }

    /** Mean over height and width, keeping them as 1 (AdaptiveAvgPool2d(1), TFLite MEAN). */
    record GlobalAvgPool(String path, Value input, Value output) implements Op {
        public List<Value> inputs() {
            return List.of(input);
        }
    }

    /** Constant padding around a feature map. */
    record Pad(String path, Value input, Value output, Padding padding, float value) implements Op {
        public List<Value> inputs() {
            return List.of(input);
        }
    }

    /** The same elements in row-major order with another shape (no data moves in NHWC). */
    record Reshape(String path, Value input, Value output) implements Op {
        public List<Value> inputs() {
            return List.of(input);
        }
    }

    /** Softmax over the last axis. */
    record Softmax(String path, Value input, Value output) implements Op {
        public List<Value> inputs() {
            return List.of(input);
        }
    }

    /**
     * Simulated quantisation (quantise, then dequantise) of a whole tensor with one affine grid:
     * {@code (clamp(rint(x / scale) + zeroPoint, qmin, qmax) - zeroPoint) * scale}, rounding
     * half to even as PyTorch's fake_quantize does. The int8 what-if puts one after every op
     * output of its fused graph (uint8: qmin 0, qmax 255).
     */
    record FakeQuant(String path, Value input, Value output, float scale, int zeroPoint, int qmin, int qmax)
            implements Op {
        public List<Value> inputs() {
            return List.of(input);
        }
    }

    /** A fully connected layer over the last axis: weight {@code [out, in]}. */
    record Dense(String path, Value input, Value output, float[] weight, float[] bias, Activation activation)
            implements Op {
        public List<Value> inputs() {
            return List.of(input);
        }

        @Override
        public long macs() {
            return output.elements() * input.channels();
        }
    }
}

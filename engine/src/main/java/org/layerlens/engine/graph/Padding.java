package org.layerlens.engine.graph;

/** Zero padding around a feature map, in pixels: PyTorch's symmetric or TensorFlow's 'same' (odd pixel bottom/right). */
public record Padding(int top, int left, int bottom, int right) {
    public static final Padding NONE = new Padding(0, 0, 0, 0);

    public static Padding symmetric(int p) {
        return new Padding(p, p, p, p);
    }

    /**
     * TensorFlow's 'same' padding for one axis: total = max((ceil(in / s) - 1) * s + k_eff - in, 0),
     * split with the odd pixel at the end.
     */
    public static Padding same(int inH, int inW, int kernel, int stride, int dilation) {
        int[] h = sameAxis(inH, kernel, stride, dilation);
        int[] w = sameAxis(inW, kernel, stride, dilation);
        return new Padding(h[0], w[0], h[1], w[1]);
    }

    /** TensorFlow's 'same' padding with a kernel and stride per axis. */
    public static Padding same(int inH, int inW, int kernelH, int kernelW, int strideH, int strideW, int dilation) {
        int[] h = sameAxis(inH, kernelH, strideH, dilation);
        int[] w = sameAxis(inW, kernelW, strideW, dilation);
        return new Padding(h[0], w[0], h[1], w[1]);
    }

    private static int[] sameAxis(int in, int k, int s, int d) {
        int eff = d * (k - 1) + 1;
        int out = (in + s - 1) / s;
        int total = Math.max((out - 1) * s + eff - in, 0);
        return new int[] {total / 2, total - total / 2};
    }

    public boolean symmetric() {
        return top == left && left == bottom && bottom == right;
    }

    public boolean none() {
        return top == 0 && left == 0 && bottom == 0 && right == 0;
    }
}

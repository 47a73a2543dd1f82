package org.layerlens.engine.io;

import java.util.Arrays;

/** A tensor read from a file: row-major values (converted to float) and its shape. */
public record TensorData(long[] shape, float[] data, String dtype) {
    public long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** PyTorch's spelling: {@code torch.Size([576, 1, 3, 3])}. */
    public static String torchSize(long[] shape) {
        StringBuilder sb = new StringBuilder("torch.Size([");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append("])").toString();
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(shape);
    }
}

package org.layerlens.engine.graph;

import java.util.Arrays;

/**
 * A tensor in a traced graph: an id and its shape without the batch dimension. Feature maps are
 * {@code [H, W, C]} (channels last, the layout the engine computes in); flattened head outputs
 * are {@code [N, k]}. A value is produced by exactly one op, or is the graph's input.
 */
public final class Value {
    private final int id;
    private final int[] dims;

    Value(int id, int[] dims) {
        this.id = id;
        this.dims = dims.clone();
    }

    /** A new value for a graph transformation; {@code id} must be unused in the graph it joins. */
    public static Value of(int id, int... dims) {
        return new Value(id, dims);
    }

    public int id() {
        return id;
    }

    /** The shape without batch: {@code [H, W, C]} for a feature map. */
    public int[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public boolean featureMap() {
        return dims.length == 3;
    }

    public int height() {
        return dims[0];
    }

    public int width() {
        return dims[1];
    }

    /** The last dimension: channels of a feature map. */
    public int channels() {
        return dims[dims.length - 1];
    }

    public long elements() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** The shape as PyTorch reports it, {@code [C, H, W]} for a feature map. */
    public int[] chw() {
        return featureMap() ? new int[] {dims[2], dims[0], dims[1]} : dims.clone();
    }

    @Override
    public String toString() {
        return "%" + id + Arrays.toString(dims);
    }
}

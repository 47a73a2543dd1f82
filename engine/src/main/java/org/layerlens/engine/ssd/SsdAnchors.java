package org.layerlens.engine.ssd;

import java.util.ArrayList;
import java.util.List;

/**
 * MediaPipe's {@code SsdAnchorsCalculator} (ssd_anchors_calculator.cc, {@code GenerateAnchors}, the
 * non-multiscale branch): anchors as {@code [y_center, x_center, h, w]} relative to the input, in
 * float32 as the C++ computes them (the scale in double, then float). Layers with the same stride
 * share one feature map; per layer the lowest one gets three boxes (1:1 at scale 0.1, 2:1 and 1:2)
 * when {@code reduceBoxesInLowestLayer}, the others one box per aspect ratio plus an interpolated
 * square of scale {@code sqrt(s_i * s_i+1)}.
 */
public final class SsdAnchors {
    /** SsdAnchorsCalculatorOptions, the fields this model family sets (feature map sizes come from the strides). */
    public record Options(int numLayers, float minScale, float maxScale, int inputHeight, int inputWidth,
                          float offsetX, float offsetY, int[] strides, float[] aspectRatios,
                          boolean reduceBoxesInLowestLayer, float interpolatedScaleAspectRatio,
                          boolean fixedAnchorSize) {
    }

    private SsdAnchors() {
    }

    /** Anchors, four floats each ({@code y_center, x_center, h, w}), layer by layer, rows, columns, boxes. */
    public static float[] generate(Options o) {
        List<float[]> out = new ArrayList<>();
        int[] strides = o.strides();
        int layer = 0;
        while (layer < o.numLayers()) {
            List<Float> ratios = new ArrayList<>();
            List<Float> scales = new ArrayList<>();
            int last = layer;
            while (last < strides.length && strides[last] == strides[layer]) {
                float scale = scale(o.minScale(), o.maxScale(), last, strides.length);
                if (last == 0 && o.reduceBoxesInLowestLayer()) {
                    ratios.add(1.0f);
                    ratios.add(2.0f);
                    ratios.add(0.5f);
                    scales.add(0.1f);
                    scales.add(scale);
                    scales.add(scale);
                } else {
                    for (float r : o.aspectRatios()) {
                        ratios.add(r);
                        scales.add(scale);
                    }
                    if (o.interpolatedScaleAspectRatio() > 0.0f) {
                        float next = last == strides.length - 1 ? 1.0f
                                : scale(o.minScale(), o.maxScale(), last + 1, strides.length);
                        scales.add((float) Math.sqrt(scale * next));
                        ratios.add(o.interpolatedScaleAspectRatio());
                    }
                }
                last++;
            }
            float[] heights = new float[ratios.size()];
            float[] widths = new float[ratios.size()];
            for (int k = 0; k < ratios.size(); k++) {
                float root = (float) Math.sqrt(ratios.get(k));
                heights[k] = scales.get(k) / root;
                widths[k] = scales.get(k) * root;
            }
            int stride = strides[layer];
            int fh = (int) Math.ceil(1.0f * o.inputHeight() / stride);
            int fw = (int) Math.ceil(1.0f * o.inputWidth() / stride);
            for (int y = 0; y < fh; y++) {
                for (int x = 0; x < fw; x++) {
                    for (int k = 0; k < heights.length; k++) {
                        float xc = (x + o.offsetX()) * 1.0f / fw;
                        float yc = (y + o.offsetY()) * 1.0f / fh;
                        out.add(o.fixedAnchorSize() ? new float[] {yc, xc, 1.0f, 1.0f}
                                : new float[] {yc, xc, heights[k], widths[k]});
                    }
                }
            }
            layer = last;
        }
        float[] flat = new float[out.size() * 4];
        for (int i = 0; i < out.size(); i++) {
            System.arraycopy(out.get(i), 0, flat, 4 * i, 4);
        }
        return flat;
    }

    /** {@code CalculateScale}: the expression is promoted to double by its {@code * 1.0}, returned as float. */
    static float scale(float min, float max, int index, int count) {
        if (count == 1) {
            return (min + max) * 0.5f;
        }
        return (float) (min + (double) (max - min) * 1.0 * index / (count - 1.0));
    }

    /** Feature map sizes and boxes per cell, layer by layer (for matching a model's heads). */
    public static int[][] grid(Options o) {
        List<int[]> out = new ArrayList<>();
        int[] strides = o.strides();
        int layer = 0;
        while (layer < o.numLayers()) {
            int boxes = 0;
            int last = layer;
            while (last < strides.length && strides[last] == strides[layer]) {
                boxes += last == 0 && o.reduceBoxesInLowestLayer() ? 3
                        : o.aspectRatios().length + (o.interpolatedScaleAspectRatio() > 0.0f ? 1 : 0);
                last++;
            }
            out.add(new int[] {(int) Math.ceil(1.0f * o.inputHeight() / strides[layer]),
                               (int) Math.ceil(1.0f * o.inputWidth() / strides[layer]), boxes});
            layer = last;
        }
        return out.toArray(new int[0][]);
    }
}

package org.layerlens.engine.image;

/**
 * How a model turns an image into its input, and how positions map back: the network sees a
 * {@code size x size} square; {@link #factors} gives where that square's right and bottom edges
 * fall in image-relative units (1 when the image is stretched to the square; more when it is
 * padded), so that a network-relative coordinate times its factor is image-relative.
 */
public interface InputTransform {
    /** The square input size. */
    int size();

    /** The network input for {@code img}: {@code size * size * 3} floats, row-major (H, W, C), RGB. */
    float[] apply(LoadedImage img);

    /** The square's right and bottom edges in units of the image's width and height. */
    double[] factors(int width, int height);

    /**
     * The image pixels that network-input pixels {@code lo..hi} (inclusive, along one axis) read
     * through this transform: {@code [first, last]} inclusive, clipped to the {@code width x height}
     * image, or null when they read only padding. Receptive fields are mapped to image pixels with
     * it. This default assumes a linear map through {@link #factors} and widens it by a pixel on
     * each side for the interpolation's taps; transforms that know their resampling say exactly.
     */
    default int[] readSpan(long lo, long hi, int width, int height, boolean horizontal) {
        int extent = horizontal ? width : height;
        double f = factors(width, height)[horizontal ? 0 : 1];
        double scale = f * extent / size();
        long first = (long) Math.floor(Math.max(0, lo) * scale) - 1;
        long last = (long) Math.ceil((Math.min(size() - 1, hi) + 1) * scale);
        return clip(first, last, extent);
    }

    /** {@code [first, last]} clipped to {@code [0, extent - 1]}, or null when nothing is left. */
    static int[] clip(long first, long last, int extent) {
        long a = Math.max(0, first);
        long b = Math.min(extent - 1L, last);
        return a > b ? null : new int[] {(int) a, (int) b};
    }

    /** A short description for notes and the README ("300x300 bilinear, (x - 127) / 128"). */
    String describe();
}

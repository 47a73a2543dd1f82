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

    /** A short description for notes and the README ("300x300 bilinear, (x - 127) / 128"). */
    String describe();
}

package org.layerlens.viewer.pane;

import javafx.geometry.Point2D;
import javafx.geometry.Rectangle2D;

/**
 * Where the picture is drawn and how positions map onto it, for overlays: {@code scale} is
 * display pixels per pixel of the original image (the units of every box), and the network's
 * input square covers {@code factors} of the image's width and height (1, 1 when the image is
 * stretched to the square; more when the model pads it, as face-api does). The overlay canvas's
 * origin is the picture's top-left corner.
 */
public record ImageGeometry(double width, double height, double scale, int originalWidth, int originalHeight,
                            double[] factors) {
    /** A point of the original image, on the canvas. */
    public Point2D toCanvas(double x, double y) {
        return new Point2D(x * scale, y * scale);
    }

    /** A canvas point, in the original image's pixels. */
    public Point2D toImage(double x, double y) {
        return new Point2D(x / scale, y / scale);
    }

    /** The network's input square on the canvas: what a feature map covers (may reach past the picture). */
    public Rectangle2D networkSquare() {
        return new Rectangle2D(0, 0, originalWidth * factors[0] * scale, originalHeight * factors[1] * scale);
    }
}

package org.layerlens.viewer;

import org.layerlens.engine.image.LoadedImage;

/**
 * An 8-bit RGB picture as plain bytes (row-major, 3 a pixel): what view models compute on
 * worker threads; views turn it into a JavaFX image ({@link FxImages#fromRgb}).
 */
public record Rgb(byte[] bytes, int width, int height) {
    public Rgb {
        if (bytes.length != width * height * 3) {
            throw new IllegalArgumentException(bytes.length + " bytes for " + width + "x" + height + " RGB");
        }
    }

    public static Rgb of(LoadedImage img) {
        return new Rgb(img.rgb(), img.width(), img.height());
    }
}

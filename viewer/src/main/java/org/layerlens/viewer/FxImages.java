package org.layerlens.viewer;

import java.io.IOException;
import java.nio.file.Path;

import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import org.layerlens.engine.image.Heatmaps;

/** Conversions between the engine's RGB byte images and JavaFX images. */
public final class FxImages {
    private FxImages() {
    }

    /** A JavaFX image of an RGB picture; may be called on any thread (the image is not yet in a scene). */
    public static WritableImage fromRgb(Rgb rgb) {
        return fromRgb(rgb.bytes(), rgb.width(), rgb.height());
    }

    public static WritableImage fromRgb(byte[] rgb, int w, int h) {
        WritableImage img = new WritableImage(w, h);
        img.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getByteRgbInstance(), rgb, 0, w * 3);
        return img;
    }

    public static byte[] toRgb(Image img) {
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        int[] argb = new int[w * h];
        PixelReader r = img.getPixelReader();
        r.getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            rgb[3 * i] = (byte) (argb[i] >> 16);
            rgb[3 * i + 1] = (byte) (argb[i] >> 8);
            rgb[3 * i + 2] = (byte) argb[i];
        }
        return rgb;
    }

    public static void writePng(Image img, Path file) throws IOException {
        Heatmaps.write(file, toRgb(img), (int) img.getWidth(), (int) img.getHeight());
    }
}

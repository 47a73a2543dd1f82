package org.layerlens.engine.image;

import java.nio.file.Path;

/**
 * An image as the engine uses it: 8-bit RGB pixels, row-major, 3 bytes a pixel. Photos above
 * {@link Images#MAX_PIXELS} are shrunk on reading; {@code originalWidth/Height} say what the file
 * held, and boxes are reported in the pixels of {@code width x height}.
 */
public record LoadedImage(Path source, int width, int height, byte[] rgb, int originalWidth, int originalHeight) {
    public LoadedImage(Path source, int width, int height, byte[] rgb) {
        this(source, width, height, rgb, width, height);
    }

    /** Whether reading shrank the photo. */
    public boolean shrunk() {
        return width != originalWidth || height != originalHeight;
    }

    /** The file name, or "image" for one made in memory. */
    public String name() {
        return source == null ? "image" : source.getFileName().toString();
    }
}

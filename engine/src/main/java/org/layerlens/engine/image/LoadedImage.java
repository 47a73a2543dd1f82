package org.layerlens.engine.image;

import java.nio.file.Path;
import java.util.List;

/**
 * An image as the engine uses it: 8-bit RGB pixels, row-major, 3 bytes a pixel. Photos above
 * {@link Images#MAX_PIXELS} are shrunk on reading; {@code originalWidth/Height} say what the file
 * held, and boxes are reported in the pixels of {@code width x height}. {@code warnings} are what
 * reading found wrong with a file it still read (a truncated JPEG), one line each naming the file,
 * for the command line to print and the window to show.
 */
public record LoadedImage(Path source, int width, int height, byte[] rgb, int originalWidth, int originalHeight,
                          List<String> warnings) {
    public LoadedImage {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public LoadedImage(Path source, int width, int height, byte[] rgb, int originalWidth, int originalHeight) {
        this(source, width, height, rgb, originalWidth, originalHeight, List.of());
    }

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

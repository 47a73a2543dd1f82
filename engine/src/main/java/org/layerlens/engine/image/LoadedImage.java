package org.layerlens.engine.image;

import java.nio.file.Path;

/** An image as read from disk: 8-bit RGB pixels, row-major, 3 bytes a pixel. */
public record LoadedImage(Path source, int width, int height, byte[] rgb) {
}

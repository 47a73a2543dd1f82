package org.layerlens.viewer;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.layerlens.engine.image.Images;
import org.layerlens.engine.io.ModelFormats;

/**
 * What a file opened by name is, for every route that opens files without asking (drag and
 * drop, recent files): a model when a registered model format claims its name (every format's
 * patterns, so a TF.js {@code .json} manifest and any format added later are models), a video by
 * its extension, a labels file ({@code .txt}) for the current model, otherwise an image.
 */
public enum FileKind {
    MODEL, VIDEO, LABELS, IMAGE;

    /** Extensions of video containers ({@link Images#VIDEO_EXTENSIONS}). */
    public static final Set<String> VIDEO_EXTENSIONS = Images.VIDEO_EXTENSIONS;
    public static final List<String> IMAGE_PATTERNS = List.of("*.png", "*.jpg", "*.jpeg", "*.bmp", "*.tif", "*.tiff",
            "*.webp", "*.jp2", "*.pbm", "*.pgm", "*.ppm");

    public static FileKind of(Path p) {
        if (ModelFormats.matchesName(p)) {
            return MODEL;
        }
        String n = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
        String ext = n.contains(".") ? n.substring(n.lastIndexOf('.') + 1) : "";
        if (VIDEO_EXTENSIONS.contains(ext)) {
            return VIDEO;
        }
        if (ext.equals("txt")) {
            return LABELS;
        }
        return IMAGE;
    }
}

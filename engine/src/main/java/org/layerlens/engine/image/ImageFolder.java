package org.layerlens.engine.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a folder job (stats, detect, the window's dataset statistics) reads from a folder: the
 * folder's own files, sorted by name, hidden files and Pascal VOC {@code .xml} annotations left
 * out (a symbolic link to a file is read as that file; one that leads to no file is listed, and
 * reading it fails with a warning). Subfolders are not entered (a dataset's root holds {@code JPEGImages/} beside
 * {@code SegmentationClass/} and {@code Annotations/}, which are not all photos to run) but
 * named, so that a folder whose images lie one level down is told so, not called empty.
 *
 * @param otherFiles the folder's files left out by {@link #imagesByName} (0 before)
 */
public record ImageFolder(Path folder, List<Path> files, List<String> subfolders, int otherFiles) {
    /** The extensions taken for images where a job picks images out of other files ({@code detect}). */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "tif", "tiff", "webp");

    private static final int NAMED = 3;

    /** Lists {@code folder}; an IOException naming it when it is not a folder. */
    public static ImageFolder list(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + ": not a folder");
        }
        List<Path> files = new ArrayList<>();
        List<String> subfolders = new ArrayList<>();
        try (Stream<Path> st = Files.list(folder)) {
            for (Path p : (Iterable<Path>) st.sorted()::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    subfolders.add(name);
                } else if ((Files.isRegularFile(p) || Files.isSymbolicLink(p)) && !extension(p).equals("xml")) {
                    // a link that leads nowhere (dangling, a loop) is listed, so that reading it
                    // skips it with a warning instead of dropping it unsaid
                    files.add(p);
                }
            }
        }
        return new ImageFolder(folder, List.copyOf(files), List.copyOf(subfolders), 0);
    }

    /** The same folder with only the files whose extension names an image format. */
    public ImageFolder imagesByName() {
        List<Path> images = files.stream().filter(p -> IMAGE_EXTENSIONS.contains(extension(p))).toList();
        return new ImageFolder(folder, images, subfolders, otherFiles + files.size() - images.size());
    }

    /**
     * The files; when there are none, an IOException with one line that names the folder and,
     * where the images may be, its subfolders.
     *
     * @param what what was looked for ("files to read", "images (jpg, png, ...)")
     */
    public List<Path> nonEmpty(String what) throws IOException {
        if (!files.isEmpty()) {
            return files;
        }
        String where = otherFiles > 0 ? " among its " + otherFiles + " file(s)"
                : subfolders.isEmpty() ? " (an empty folder)" : " in the folder itself";
        throw new IOException(folder + ": no " + what + where + subfoldersHint("images"));
    }

    /**
     * For a message saying that nothing was found in the folder: where else it may be ("; subfolders
     * are not read (JPEGImages/): give the folder that holds the images"), or "" when it has no subfolders.
     */
    public String subfoldersHint(String held) {
        return subfolders.isEmpty() ? "" : "; subfolders are not read (" + named() + "): give the folder that holds the "
                + held;
    }

    /** One warning line when the folder has subfolders, which were not read; null when it has none. */
    public String subfoldersNotRead() {
        return subfolders.isEmpty() ? null : folder + ": " + subfolders.size() + " subfolder(s) not read (" + named()
                + "); only the folder's own files are read";
    }

    private String named() {
        String shown = String.join("/, ", subfolders.subList(0, Math.min(NAMED, subfolders.size()))) + "/";
        return subfolders.size() > NAMED ? shown + ", ... " + (subfolders.size() - NAMED) + " more" : shown;
    }

    /** A file's extension, lower case, without the dot ("" when it has none). */
    public static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** A file's name without its extension ("scene-001" for scene-001.png; the whole name when it has none). */
    public static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? n : n.substring(0, dot);
    }
}

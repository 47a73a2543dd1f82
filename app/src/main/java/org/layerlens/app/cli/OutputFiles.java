package org.layerlens.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.layerlens.engine.image.ImageFolder;

/**
 * The files a command will write, checked before it does any work: a run of minutes should not
 * end in "permission denied", and no output may replace a file the command reads (a user who
 * gives the photo's own name to {@code --json} loses the photo). Standard output ({@code -}) and
 * options not given are not checked.
 */
final class OutputFiles {
    /** Options naming one file a command writes. */
    static final List<String> OUTPUTS = List.of("json", "csv", "chart", "cam-out", "diff-out", "export-calibration");
    /** Options naming a file or folder a command reads. */
    static final List<String> INPUTS = List.of("image", "with-image", "dataset", "model", "with", "labels",
            "with-labels", "calibration", "video");

    private OutputFiles() {
    }

    static void check(Args a) throws Args.UsageException, IOException {
        Map<Path, String> seen = new LinkedHashMap<>();
        for (String out : OUTPUTS) {
            String v = a.get(out);
            if (v == null || v.equals("-")) {
                continue;
            }
            Path p = Paths.get(v).toAbsolutePath().normalize();
            String before = seen.put(p, out);
            if (before != null) {
                throw new Args.UsageException("--" + before + " and --" + out + " name the same file " + v
                        + ": give each its own");
            }
            for (String in : INPUTS) {
                for (String u : a.all(in)) {
                    if (reads(Paths.get(u), p)) {
                        throw new Args.UsageException("--" + out + " " + v + " would replace a file that --" + in
                                + " reads: give the output another name");
                    }
                }
            }
            Path dir = p.getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                throw new IOException(v + ": no such folder " + dir);
            }
            if (Files.isDirectory(p)) {
                throw new IOException(v + ": is a folder, not a file to write");
            }
            if (dir != null && !Files.isWritable(dir)) {
                throw new IOException(v + ": cannot write in " + dir + " (permission denied)");
            }
            if (Files.exists(p) && !Files.isWritable(p)) {
                throw new IOException(v + ": cannot be replaced (permission denied)");
            }
        }
    }

    /**
     * Whether writing {@code out} would replace what {@code input} names: the same file, or a
     * file the folder {@code input} holds and a command reads from it (an image or an annotation).
     */
    private static boolean reads(Path input, Path out) throws IOException {
        if (!Files.exists(input) || !Files.exists(out)) {
            return false;
        }
        if (Files.isDirectory(input)) {
            Path dir = out.getParent();
            if (dir == null || !Files.isSameFile(dir, input)) {
                return false;
            }
            String name = out.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
            return ext.equals("xml") || ImageFolder.IMAGE_EXTENSIONS.contains(ext);
        }
        return Files.isSameFile(input, out);
    }
}

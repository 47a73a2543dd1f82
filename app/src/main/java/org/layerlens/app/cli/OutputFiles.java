package org.layerlens.app.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.layerlens.engine.image.ImageFolder;

/**
 * The files a command will write, checked before it does any work: a run of minutes should not
 * end in "permission denied", and no output may replace a file the command reads (a user who
 * gives the photo's own name to {@code --json} loses the photo). Standard output ({@code -}),
 * devices and pipes ({@code /dev/stdout}, a FIFO: written into, not replaced), and options not
 * given are not checked.
 */
final class OutputFiles {
    /** Options naming one file a command writes. */
    static final List<String> OUTPUTS = List.of("json", "csv", "chart", "cam-out", "diff-out", "export-calibration");
    /** Options naming a file or folder a command reads. */
    static final List<String> INPUTS = List.of("image", "with-image", "dataset", "model", "with", "labels",
            "with-labels", "calibration", "video");
    /** Commands that read every image of a folder they are given (the others read the images that have annotations). */
    private static final Set<String> READ_EVERY_IMAGE = Set.of("detect", "stats");
    private OutputFiles() {
    }

    static void check(Args a) throws Args.UsageException, IOException {
        Map<Path, String> seen = new LinkedHashMap<>();
        for (String out : OUTPUTS) {
            String v = a.get(out);
            if (v == null || v.equals("-")) {
                continue;
            }
            if (v.isBlank()) {
                throw new Args.UsageException("--" + out + " needs a file name");
            }
            Path p = Paths.get(v).toAbsolutePath().normalize();
            if (Files.exists(p) && !Files.isRegularFile(p) && !Files.isDirectory(p)) {
                continue; // a device or a pipe: written into as it is
            }
            String before = seen.put(p, out);
            if (before != null) {
                throw new Args.UsageException("--" + before + " and --" + out + " name the same file " + v
                        + ": give each its own");
            }
            for (String in : INPUTS) {
                for (String u : a.all(in)) {
                    if (reads(a.command, Paths.get(u), p)) {
                        throw new Args.UsageException("--" + out + " " + v + " would replace a file that --" + in
                                + " reads: give the output another name");
                    }
                }
            }
            if (Files.isDirectory(p)) {
                throw new IOException(v + ": is a folder, not a file to write");
            }
            Path dir = p.getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                throw new IOException(v + ": no such folder " + dir);
            }
            if (dir != null) {
                probe(v, dir);
            }
        }
    }

    /**
     * Whether a file can be made in {@code dir}, by making one and deleting it: the outputs are
     * written beside their target and moved over it. (Files.isWritable says no for some writable
     * folders, on Windows network drives for one.)
     */
    private static void probe(String v, Path dir) throws IOException {
        Path probe;
        try {
            probe = Files.createTempFile(dir, ".layerlens-", ".probe");
        } catch (AccessDeniedException e) {
            throw new IOException(v + ": cannot write in " + dir + " (permission denied)");
        } catch (IOException e) {
            throw new IOException(v + ": cannot write in " + dir + " (" + e.getClass().getSimpleName()
                    .replaceAll("Exception$", "") + ")");
        }
        Files.deleteIfExists(probe);
    }

    /**
     * Whether writing {@code out} would replace what {@code input} names for {@code command}: the
     * same file, or, in a folder it reads, an image it reads (every image for detect and stats;
     * for the others one with an annotation beside it) or any annotation (.xml) there, whichever the command.
     */
    private static boolean reads(String command, Path input, Path out) throws IOException {
        if (!Files.exists(input) || !Files.exists(out)) {
            return false;
        }
        if (!Files.isDirectory(input)) {
            return Files.isSameFile(input, out);
        }
        Path dir = out.getParent();
        if (dir == null || !Files.isSameFile(dir, input)) {
            return false;
        }
        String ext = ImageFolder.extension(out);
        if (ext.equals("xml")) {
            // an annotation of the folder's: refused for every command, those that do not read
            // annotations too (stats --csv over shapes-01.xml replaced it with 11 MB of CSV)
            return true;
        }
        if (!ImageFolder.IMAGE_EXTENSIONS.contains(ext)) {
            return false;
        }
        String stem = ImageFolder.stem(out);
        return READ_EVERY_IMAGE.contains(command) || Files.exists(out.resolveSibling(stem + ".xml"));
    }
}

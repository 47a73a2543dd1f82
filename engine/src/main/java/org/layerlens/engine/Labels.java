package org.layerlens.engine;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Class names, one a line. pytorch-ssd's files start with {@code BACKGROUND} (TF Object Detection
 * and MediaPipe label maps with {@code ???}); a file without either gets {@code BACKGROUND}
 * prepended (and a note says so), so that line k names class k.
 */
public final class Labels {
    private Labels() {
    }

    /** Larger than any labels file (ImageNet's 21,841 names are 0.3 MB): a photo or a model given by mistake. */
    static final long MAX_BYTES = 8L << 20;

    public static List<String> read(Path file, List<String> notes) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": a folder, not a labels file (one class name a line)");
        }
        if (!Files.exists(file)) {
            throw new IOException(file + ": no such file");
        }
        long bytes = Files.size(file);
        if (bytes > MAX_BYTES) {
            throw new IOException(file + ": " + bytes + " bytes, not a labels file (one class name a line)");
        }
        List<String> out = new ArrayList<>();
        for (String line : lines(file)) {
            if (line.indexOf('\0') >= 0) {
                // no text editor writes a NUL: an image or a model named as the labels
                throw new IOException(file + ": binary data, not a labels file (one class name a line)");
            }
            // a byte-order mark (Windows editors write one) would make "BACKGROUND" another name
            String s = (out.isEmpty() && line.startsWith("\uFEFF") ? line.substring(1) : line).strip();
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": the labels file is empty");
        }
        // TF Object Detection / MediaPipe label maps name the background "???": line k is class k there too
        if (!out.get(0).equalsIgnoreCase("BACKGROUND") && !out.get(0).equals("???")) {
            out.add(0, "BACKGROUND");
            // a warning (printed without --verbose): if the first line was the background under
            // another name, every class is now named one off
            notes.add("warning: " + file + " has no BACKGROUND line, so one was put first: class 1 is \""
                    + out.get(1) + "\"");
        }
        return out;
    }

    /**
     * The file's lines: UTF-16 where it starts with that byte-order mark (Notepad's "Unicode",
     * Windows PowerShell's {@code >}), else UTF-8, or where it is not (a label file saved as
     * Windows-1252), Latin-1.
     */
    private static List<String> lines(Path file) throws IOException {
        byte[] head = new byte[2];
        try (java.io.InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 2) == 2 && (head[0] == (byte) 0xff && head[1] == (byte) 0xfe
                    || head[0] == (byte) 0xfe && head[1] == (byte) 0xff)) {
                return Files.readAllLines(file, StandardCharsets.UTF_16);
            }
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        }
    }
}

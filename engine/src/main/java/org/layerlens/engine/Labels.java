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

    public static List<String> read(Path file, List<String> notes) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : lines(file)) {
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
            notes.add(file.getFileName() + " has no BACKGROUND line: class 1 is \"" + out.get(1) + "\"");
        }
        return out;
    }

    /** The file's lines: UTF-8, or where it is not (a label file saved as Windows-1252), Latin-1. */
    private static List<String> lines(Path file) throws IOException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        }
    }
}

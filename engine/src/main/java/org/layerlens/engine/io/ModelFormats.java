package org.layerlens.engine.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The formats LayerLens reads, in the order they are tried. A file goes to the first format whose
 * probe accepts it; a file that none accepts is refused naming the format its extension promised
 * ("x.onnx: not an ONNX model (...)") or, without a known extension, what it looks like.
 */
public final class ModelFormats {
    // TFLite before ONNX: a FlatBuffer whose root offset is 8 starts like an ONNX ModelProto (0x08, small)
    private static final List<ModelFormat> ALL = new ArrayList<>(List.of(new PthFormat(), new TfliteFormat(),
            new OnnxFormat(), new TfjsFormat()));

    private ModelFormats() {
    }

    public static List<ModelFormat> all() {
        return List.copyOf(ALL);
    }

    /** Adds a format (the TFLite reader registers itself here). */
    public static synchronized void register(ModelFormat f) {
        if (ALL.stream().noneMatch(g -> g.getClass() == f.getClass())) {
            ALL.add(f);
        }
    }

    /** Every pattern of every format, for file dialogs. */
    public static List<String> patterns() {
        List<String> out = new ArrayList<>();
        for (ModelFormat f : ALL) {
            out.addAll(f.patterns());
        }
        return out;
    }

    /** Whether the file name matches one of the formats' patterns (folders, drag and drop). */
    public static boolean matchesName(Path file) {
        return formatByName(file) != null;
    }

    private static ModelFormat formatByName(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return null;
        }
        for (ModelFormat f : ALL) {
            for (String p : f.patterns()) {
                if (FileSystems.getDefault().getPathMatcher("glob:" + p).matches(name)) {
                    return f;
                }
            }
        }
        return null;
    }

    public static ModelFormat.Opened open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file, Files.isDirectory(file) ? "is a folder, not a model file"
                    : "no such file");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(256);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read the file (" + e.getMessage() + ")", e);
        }
        if (head.length == 0) {
            throw new CheckpointException(file, "the file is empty");
        }
        for (ModelFormat f : ALL) {
            if (f.probe(file, head)) {
                return f.open(file);
            }
        }
        ModelFormat promised = formatByName(file);
        String what = describe(head);
        if (promised != null) {
            throw new CheckpointException(file, "not " + article(promised.name()) + " (" + what + ")");
        }
        throw new CheckpointException(file, "not a model file LayerLens reads (" + what + "); it reads "
                + String.join(", ", ALL.stream().map(ModelFormat::name).toList()));
    }

    private static String article(String name) {
        return ("aeiouAEIOU".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }

    /** What a file looks like, from its first bytes. */
    static String describe(byte[] h) {
        if (h.length >= 2 && (h[0] & 0xff) == 0xff && (h[1] & 0xff) == 0xd8) {
            return "it is a JPEG image";
        }
        if (h.length >= 4 && (h[0] & 0xff) == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G') {
            return "it is a PNG image";
        }
        boolean text = true;
        for (int i = 0; i < Math.min(h.length, 64); i++) {
            int c = h[i] & 0xff;
            text &= c == '\n' || c == '\r' || c == '\t' || c >= 0x20 && c < 0x7f;
        }
        if (text) {
            return "it is text starting \"" + new String(h, 0, Math.min(h.length, 24),
                    java.nio.charset.StandardCharsets.US_ASCII).strip() + "\"";
        }
        StringBuilder sb = new StringBuilder("starts with bytes");
        for (int i = 0; i < Math.min(h.length, 8); i++) {
            sb.append(String.format(" %02x", h[i]));
        }
        return sb.toString();
    }
}

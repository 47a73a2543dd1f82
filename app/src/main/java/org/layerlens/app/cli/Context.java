package org.layerlens.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import org.layerlens.app.ModelRef;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;

/** What every command shares: the output streams, model loading, and image lists from files and folders. */
public final class Context {
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "tif", "tiff", "webp");
    public final PrintStream out;
    public final PrintStream err;
    public final boolean verbose;

    public Context(PrintStream out, PrintStream err, boolean verbose) {
        this.out = out;
        this.err = err;
        this.verbose = verbose;
    }

    /** The model {@code --model} names (a file or a bundled name), with {@code --labels}; prints its warnings. */
    public Model model(Args a) throws IOException {
        return model(a.get("model", ModelRef.DEFAULT), a.get("labels"));
    }

    public Model model(String ref, String labels) throws IOException {
        Model m = ModelRef.load(ref, labels == null ? null : Paths.get(labels));
        for (String n : m.notes()) {
            if (n.startsWith("warning") || verbose) {
                err.println("layerlens: " + m.source().getFileName() + ": " + n);
            }
        }
        return m;
    }

    /** Files as given, folders expanded to the images in them (sorted by name). */
    public static List<Path> images(List<String> args) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String s : args) {
            Path p = Paths.get(s);
            if (Files.isDirectory(p)) {
                try (Stream<Path> st = Files.list(p)) {
                    st.filter(f -> IMAGE_EXTENSIONS.contains(ext(f))).sorted().forEach(out::add);
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    public static String ext(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Reads an image, or warns (one line naming the file) and returns null so that a folder goes on. */
    public LoadedImage readOrWarn(Path p, List<String> skipped) {
        try {
            return Images.read(p);
        } catch (IOException | RuntimeException e) {
            err.println("layerlens: warning: " + oneLine(e) + "; skipped");
            skipped.add(p.toString());
            return null;
        }
    }

    public static String oneLine(Throwable e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        return msg.replace("\n\t", " ").replace('\n', ' ');
    }
}

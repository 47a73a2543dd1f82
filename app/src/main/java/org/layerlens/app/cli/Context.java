package org.layerlens.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.layerlens.app.ModelRef;
import org.layerlens.engine.Problems;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.image.ImageFolder;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;

/** What every command shares: the output streams, model loading, and image lists from files and folders. */
public final class Context {
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

    /** Files as given, folders expanded to the images in them; warnings (a folder's subfolders, not read) to stderr. */
    public List<Path> images(List<String> args) throws IOException {
        return images(args, w -> err.println("layerlens: warning: " + w));
    }

    /**
     * Files as given, folders expanded to the images in them (their own files with an image
     * extension, sorted by name: {@link ImageFolder}). A folder with no image is a warning while
     * other arguments give images, and the error when none does.
     */
    public static List<Path> images(List<String> args, Consumer<String> warnings) throws IOException {
        List<Path> out = new ArrayList<>();
        List<IOException> noImages = new ArrayList<>();
        for (String s : args) {
            Path p = Paths.get(s);
            if (!Files.isDirectory(p)) {
                out.add(p);
                continue;
            }
            ImageFolder folder = ImageFolder.list(p).imagesByName();
            try {
                out.addAll(folder.nonEmpty("images (" + String.join(", ", ImageFolder.IMAGE_EXTENSIONS.stream()
                        .sorted().toList()) + ")"));
                if (folder.subfoldersNotRead() != null) {
                    warnings.accept(folder.subfoldersNotRead());
                }
            } catch (IOException e) {
                noImages.add(e);
            }
        }
        if (out.isEmpty() && !noImages.isEmpty()) {
            throw noImages.get(0);
        }
        noImages.forEach(e -> warnings.accept(e.getMessage()));
        return out;
    }

    /** Reads an image; what reading found wrong with a file it still read (a truncated JPEG) is a warning line. */
    public LoadedImage read(Path p) throws IOException {
        LoadedImage img = Images.read(p);
        img.warnings().forEach(w -> err.println("layerlens: warning: " + w));
        return img;
    }

    /** Reads an image, or warns (one line naming the file) and returns null so that a folder goes on. */
    public LoadedImage readOrWarn(Path p, List<String> skipped) {
        try {
            return read(p);
        } catch (IOException | RuntimeException e) {
            err.println("layerlens: warning: " + oneLine(e) + "; skipped");
            skipped.add(p.toString());
            return null;
        }
    }

    public static String oneLine(Throwable e) {
        String msg = Problems.message(e) == null ? e.toString() : Problems.message(e);
        return msg.replace("\n\t", " ").replace('\n', ' ');
    }
}

package org.layerlens.viewer.pane;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.layerlens.engine.image.Video;
import org.layerlens.engine.io.ModelFormat;
import org.layerlens.engine.io.ModelFormats;
import org.layerlens.viewer.FileKind;

/**
 * The window's dialogs: errors (the first line as the header) and file choosers whose filters
 * come from the registries (every model format's patterns, so a format added to
 * {@link ModelFormats} is offered without touching the window).
 */
public final class Dialogs {
    private Dialogs() {
    }

    public static void error(Node owner, String msg) {
        Alert a = new Alert(Alert.AlertType.ERROR);
        a.initOwner(window(owner));
        a.setTitle("LayerLens");
        // wrapped as notifications are: an unwrapped first line (a message naming two models) made
        // the dialog 1,350 px wide, past the edge of a small window and of a small screen
        a.setHeaderText(Notifier.wrapped(msg.lines().findFirst().orElse(msg), Notifier.COLUMNS));
        String rest = msg.contains("\n") ? msg.substring(msg.indexOf('\n') + 1) : "";
        a.setContentText(rest.isEmpty() ? null : Notifier.wrapped(rest, Notifier.COLUMNS));
        a.getDialogPane().setId("errorDialog");
        a.getDialogPane().setMinWidth(520);
        a.show();
    }

    static Window window(Node n) {
        return n == null || n.getScene() == null ? null : n.getScene().getWindow();
    }

    /** Filters for opening a model: all formats together first, then one per format. */
    public static List<FileChooser.ExtensionFilter> modelFilters() {
        List<FileChooser.ExtensionFilter> out = new ArrayList<>();
        out.add(new FileChooser.ExtensionFilter("Models (" + String.join(", ", ModelFormats.all().stream()
                .map(ModelFormat::name).toList()) + ")", ModelFormats.patterns()));
        for (ModelFormat f : ModelFormats.all()) {
            out.add(new FileChooser.ExtensionFilter(f.name(), f.patterns()));
        }
        out.add(new FileChooser.ExtensionFilter("All files", "*"));
        return out;
    }

    /**
     * The folder the last file dialog of this run ended in: the next one starts there (they all
     * started in the working folder, so every export began with a walk back to the last one).
     */
    private static volatile File lastFolder;

    private static File startFolder() {
        File f = lastFolder;
        return f != null && f.isDirectory() ? f : null;
    }

    private static Path chosen(File f, boolean isFolder) {
        if (f == null) {
            return null;
        }
        lastFolder = isFolder ? f : f.getAbsoluteFile().getParentFile();
        return f.toPath();
    }

    public static Path open(Node owner, String title, List<FileChooser.ExtensionFilter> filters) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.getExtensionFilters().setAll(filters);
        fc.setInitialDirectory(startFolder());
        return chosen(fc.showOpenDialog(window(owner)), false);
    }

    public static List<FileChooser.ExtensionFilter> imageFilters() {
        return List.of(new FileChooser.ExtensionFilter("Images", FileKind.IMAGE_PATTERNS),
                new FileChooser.ExtensionFilter("All files", "*"));
    }

    public static List<FileChooser.ExtensionFilter> videoFilters() {
        return List.of(new FileChooser.ExtensionFilter("Videos: " + Video.READABLE,
                FileKind.VIDEO_EXTENSIONS.stream().sorted().map(e -> "*." + e).toList()),
                new FileChooser.ExtensionFilter("All files", "*"));
    }

    public static Path folder(Node owner, String title) {
        javafx.stage.DirectoryChooser dc = new javafx.stage.DirectoryChooser();
        dc.setTitle(title);
        dc.setInitialDirectory(startFolder());
        return chosen(dc.showDialog(window(owner)), true);
    }

    public static Path saveAs(Node owner, String title, String name, String ext) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.setInitialFileName(name.replace('/', '.')); // TF scope paths hold slashes
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(ext, "*." + ext));
        fc.setInitialDirectory(startFolder());
        Path p = chosen(fc.showSaveDialog(window(owner)), false);
        return p == null ? null : withExtension(p, ext);
    }

    /**
     * {@code p} with {@code .ext} added when its name has no extension at all ("noext" was saved
     * as such), unless a file of that longer name exists: the dialog asked about replacing the
     * name typed, not that one. A name with another extension is the user's choice and kept.
     */
    static Path withExtension(Path p, String ext) {
        String name = p.getFileName().toString();
        if (name.contains(".")) {
            return p;
        }
        Path longer = p.resolveSibling(name + "." + ext);
        return java.nio.file.Files.exists(longer) ? p : longer;
    }
}

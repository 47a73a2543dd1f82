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
        a.setHeaderText(msg.lines().findFirst().orElse(msg));
        String rest = msg.contains("\n") ? msg.substring(msg.indexOf('\n') + 1) : "";
        a.setContentText(rest.isEmpty() ? null : rest);
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

    public static Path open(Node owner, String title, List<FileChooser.ExtensionFilter> filters) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.getExtensionFilters().setAll(filters);
        File f = fc.showOpenDialog(window(owner));
        return f == null ? null : f.toPath();
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
        File f = dc.showDialog(window(owner));
        return f == null ? null : f.toPath();
    }

    public static Path saveAs(Node owner, String title, String name, String ext) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.setInitialFileName(name.replace('/', '.')); // TF scope paths hold slashes
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(ext, "*." + ext));
        File f = fc.showSaveDialog(window(owner));
        return f == null ? null : f.toPath();
    }
}

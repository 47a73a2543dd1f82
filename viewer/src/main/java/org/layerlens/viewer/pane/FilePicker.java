package org.layerlens.viewer.pane;

import java.nio.file.Path;
import java.util.List;

import javafx.scene.Node;
import javafx.stage.FileChooser;

/**
 * Asks the user for a file. The window uses the system's file dialogs ({@link #DIALOGS}); tests
 * put a picker that answers with a file in their place, so the route from the menu onwards is
 * the real one.
 */
public interface FilePicker {
    /** A file to open; null when the user cancels. */
    Path open(Node owner, String what, List<FileChooser.ExtensionFilter> filters);

    /** A file to write; null when the user cancels. */
    Path save(Node owner, String title, String name, String ext);

    /** A folder to read; null when the user cancels. */
    default Path folder(Node owner, String title) {
        return Dialogs.folder(owner, title);
    }

    FilePicker DIALOGS = new FilePicker() {
        @Override
        public Path open(Node owner, String what, List<FileChooser.ExtensionFilter> filters) {
            return Dialogs.open(owner, what, filters);
        }

        @Override
        public Path save(Node owner, String title, String name, String ext) {
            return Dialogs.saveAs(owner, title, name, ext);
        }
    };
}

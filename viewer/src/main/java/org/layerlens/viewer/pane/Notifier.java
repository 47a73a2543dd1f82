package org.layerlens.viewer.pane;

import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;
import org.layerlens.viewer.InspectorViewModel;
import org.layerlens.viewer.Notice;

/**
 * Shows each new notice (a model's loading notes and warnings, a shrunk photo, dropped video
 * frames, a written export) as a ControlsFX notification in the window's corner; warnings stay
 * longer. The status bar keeps only the run's own line.
 */
public final class Notifier {
    /**
     * Characters a notification's line holds: ControlsFX sizes the box to its longest line and
     * places it from the window's right edge leftwards before it knows that width, so a long line
     * (a warning with a folder's path) ran past the screen's edge, cut.
     */
    static final int COLUMNS = 72;

    private Notifier() {
    }

    /**
     * {@code text} with line breaks at spaces so that no line is longer than {@code columns}; a
     * word longer than a line (a long path) is broken after a '/' or '\\' where it has one, else at
     * the column; its own line breaks kept.
     */
    static String wrapped(String text, int columns) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (String line : text.split("\n", -1)) {
            if (out.length() > 0) {
                out.append('\n');
            }
            int lineStart = out.length();
            for (String whole : line.split(" ", -1)) {
                String word = whole;
                while (word.length() > columns) {
                    if (out.length() > lineStart) {
                        out.append('\n');
                    }
                    int cut = Math.max(word.lastIndexOf('/', columns - 1), word.lastIndexOf('\\', columns - 1)) + 1;
                    cut = cut > 0 ? cut : columns;
                    out.append(word, 0, cut).append('\n');
                    lineStart = out.length();
                    word = word.substring(cut);
                }
                boolean first = out.length() == lineStart;
                if (!first && out.length() - lineStart + 1 + word.length() > columns) {
                    out.append('\n');
                    lineStart = out.length();
                    first = true;
                }
                if (!first) {
                    out.append(' ');
                }
                out.append(word);
            }
        }
        return out.toString();
    }

    public static void attach(InspectorViewModel vm, Node owner) {
        vm.notices().addListener((ListChangeListener<Notice>) c -> {
            while (c.next()) {
                for (Notice n : c.getAddedSubList()) {
                    show(n, owner);
                }
            }
        });
    }

    private static void show(Notice n, Node owner) {
        Window w = owner.getScene() == null ? null : owner.getScene().getWindow();
        if (w == null || !w.isShowing()) {
            return;
        }
        Notifications note = Notifications.create().owner(w).position(Pos.BOTTOM_RIGHT).text(wrapped(n.text(), COLUMNS))
                .title(n.level() == Notice.Level.WARNING ? "Warning" : "LayerLens")
                .hideAfter(Duration.seconds(n.level() == Notice.Level.WARNING ? 12 : 6));
        if (n.level() == Notice.Level.WARNING) {
            note.showWarning();
        } else {
            note.showInformation();
        }
    }
}

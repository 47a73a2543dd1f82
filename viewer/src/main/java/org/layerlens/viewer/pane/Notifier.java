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
    private Notifier() {
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
        Notifications note = Notifications.create().owner(w).position(Pos.BOTTOM_RIGHT).text(n.text())
                .title(n.level() == Notice.Level.WARNING ? "Warning" : "LayerLens")
                .hideAfter(Duration.seconds(n.level() == Notice.Level.WARNING ? 12 : 6));
        if (n.level() == Notice.Level.WARNING) {
            note.showWarning();
        } else {
            note.showInformation();
        }
    }
}

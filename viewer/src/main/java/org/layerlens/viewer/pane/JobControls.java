package org.layerlens.viewer.pane;

import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableBooleanValue;
import javafx.beans.value.ObservableNumberValue;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;

/**
 * A background job's row in a side pane: its progress bar (empty while nothing runs) and its
 * Cancel button (enabled only while it runs), then any buttons of the pane's own. The bar gives
 * way in a narrow pane, never the buttons' words.
 */
final class JobControls {
    private JobControls() {
    }

    /** The row; {@code idPrefix} names the Cancel button {@code <idPrefix>Cancel} (the window tests find it by that). */
    static HBox row(String idPrefix, double barWidth, ObservableBooleanValue running, ObservableNumberValue progress,
                    Runnable cancel, Node... more) {
        ProgressBar bar = new ProgressBar();
        bar.setPrefWidth(barWidth);
        bar.setMinWidth(40);
        bar.progressProperty().bind(Bindings.when(running).then(progress).otherwise(0.0));
        Button stop = new Button("Cancel");
        stop.setId(idPrefix + "Cancel");
        stop.setMinWidth(Button.USE_PREF_SIZE);
        stop.disableProperty().bind(Bindings.not(running));
        stop.setOnAction(e -> cancel.run());
        HBox row = new HBox(6, bar, stop);
        row.getChildren().addAll(more);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }
}

package org.layerlens.viewer.pane;

import java.util.Locale;

import javafx.beans.binding.Bindings;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import org.controlsfx.control.StatusBar;
import org.layerlens.engine.api.Model;
import org.layerlens.viewer.InspectorViewModel;
import org.layerlens.viewer.RunResult;

/**
 * The status line (the full text in its tooltip when it is cut), the run's progress, what model
 * is loaded and how it sees images, and Cancel, which belongs to the latest run.
 */
public final class StatusPane extends StatusBar {
    public StatusPane(InspectorViewModel vm) {
        setId("statusBar");
        textProperty().bind(vm.statusProperty());
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(vm.statusProperty());
        setTooltip(tip);
        progressProperty().bind(Bindings.when(vm.runningProperty()).then(vm.progressProperty()).otherwise(0.0));
        Label modelInfo = new Label();
        modelInfo.setId("modelInfo");
        modelInfo.setMinWidth(Label.USE_PREF_SIZE);
        vm.resultProperty().addListener((o, a, r) -> {
            modelInfo.setText(describe(r));
            Model m = r == null ? null : r.model();
            modelInfo.setTooltip(m == null ? null : new Tooltip(m.source() + "\n" + String.join("\n", m.notes())));
        });
        Button cancel = new Button("Cancel");
        cancel.setId("cancelButton");
        cancel.setMinWidth(Button.USE_PREF_SIZE);
        cancel.setOnAction(e -> vm.cancel());
        cancel.disableProperty().bind(vm.runningProperty().not().and(vm.video().playingProperty().not()));
        getRightItems().setAll(modelInfo, cancel);
    }

    static String describe(RunResult r) {
        if (r == null) {
            return "";
        }
        Model m = r.model();
        String s = String.format(Locale.ROOT, "%s · input %d×%d", m.spec().name(), m.inputSize(), m.inputSize());
        return r.inspection() == null ? s : s + String.format(Locale.ROOT, " · %.0f ms", r.inspection().totalMillis());
    }
}

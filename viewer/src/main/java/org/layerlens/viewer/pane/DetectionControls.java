package org.layerlens.viewer.pane;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.controlsfx.control.CheckComboBox;
import org.layerlens.engine.api.Model;
import org.layerlens.viewer.InspectorViewModel;

/**
 * Under the picture: score threshold and NMS IoU (re-filter the kept outputs, no run), the class
 * filter, the detection count, and the heatmap overlay switch with its opacity.
 */
public final class DetectionControls extends VBox {
    private final CheckComboBox<String> classFilter = new CheckComboBox<>();
    private boolean syncing;

    public DetectionControls(InspectorViewModel vm) {
        super(4);
        Slider threshold = new Slider(0.01, 1.0, 0.5);
        Slider iou = new Slider(0.05, 1.0, 0.45);
        threshold.setId("scoreSlider");
        iou.setId("iouSlider");
        for (Slider s : List.of(threshold, iou)) {
            s.setShowTickMarks(true);
            s.setMajorTickUnit(0.25);
            s.setMinWidth(60);
            HBox.setHgrow(s, Priority.ALWAYS);
        }
        threshold.valueProperty().bindBidirectional(vm.thresholdProperty());
        iou.valueProperty().bindBidirectional(vm.iouProperty());
        Label tl = fixed(new Label());
        tl.textProperty().bind(threshold.valueProperty().asString(Locale.ROOT, "score ≥ %.2f"));
        Label il = fixed(new Label());
        il.textProperty().bind(iou.valueProperty().asString(Locale.ROOT, "NMS IoU %.2f"));
        HBox sliders = new HBox(8, tl, threshold, il, iou);
        sliders.setAlignment(Pos.CENTER_LEFT);

        classFilter.setTitle("Classes");
        Label count = fixed(new Label());
        count.setId("detectionCount");
        vm.detections().addListener((ListChangeListener<Object>) c -> count.setText(vm.detections().size()
                + " detection(s)"));
        CheckBox overlay = new CheckBox("Channel over image");
        overlay.setId("overlayToggle");
        overlay.setTooltip(new Tooltip("Draw the selected channel's heatmap over the image, where the network saw it"));
        overlay.selectedProperty().bindBidirectional(vm.layer().overlayProperty());
        Slider opacity = new Slider(0, 1, 0.55);
        opacity.setId("overlayOpacity");
        opacity.setPrefWidth(90);
        opacity.valueProperty().bindBidirectional(vm.layer().overlayOpacityProperty());
        opacity.disableProperty().bind(overlay.selectedProperty().not());
        opacity.setTooltip(new Tooltip("Opacity of the heatmap over the image"));
        FlowPane second = new FlowPane(10, 4, classFilter, count, new HBox(4, overlay, opacity));
        second.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(sliders, second);

        vm.modelProperty().addListener((o, a, m) -> classes(m));
        classFilter.getCheckModel().getCheckedItems().addListener((ListChangeListener<String>) c -> {
            if (!syncing) {
                List<String> hidden = new ArrayList<>(classFilter.getItems());
                hidden.removeAll(classFilter.getCheckModel().getCheckedItems());
                vm.hiddenClasses().setAll(hidden);
            }
        });
    }

    private void classes(Model m) {
        syncing = true;
        try {
            classFilter.getCheckModel().clearChecks();
            classFilter.getItems().setAll(m == null ? List.of() : m.labels().subList(1, m.labels().size()));
            classFilter.getCheckModel().checkAll();
        } finally {
            syncing = false;
        }
    }

    private static Label fixed(Label l) {
        l.setMinWidth(Label.USE_PREF_SIZE);
        return l;
    }
}

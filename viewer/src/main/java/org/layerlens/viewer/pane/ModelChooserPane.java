package org.layerlens.viewer.pane;

import java.nio.file.Paths;
import java.util.Map;

import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.text.Text;
import javafx.util.StringConverter;
import org.layerlens.viewer.InspectorViewModel;

/**
 * The model chooser: the bundled models and the file opened last. Picking one opens it; when
 * that fails or is cancelled, the chooser goes back to the model that is still loaded. As wide
 * as its longest entry, so no name is cut.
 */
public final class ModelChooserPane extends HBox {
    private final ComboBox<String> chooser = new ComboBox<>();
    private final Map<String, String> bundled;
    private boolean syncing;

    public ModelChooserPane(InspectorViewModel vm, Map<String, String> bundled) {
        super(6);
        this.bundled = bundled;
        setAlignment(Pos.CENTER_LEFT);
        chooser.setId("modelChooser");
        chooser.getItems().setAll(bundled.keySet());
        chooser.setConverter(new StringConverter<>() {
            @Override
            public String toString(String ref) {
                return label(ref);
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        });
        chooser.setTooltip(new Tooltip("Model: the bundled ones, or the file opened with File ▸ Open Model"));
        chooser.setOnAction(e -> {
            String ref = chooser.getValue();
            if (!syncing && ref != null && !ref.equals(vm.modelRefProperty().get())) {
                vm.openModel(ref, null);
            }
        });
        Label l = new Label("Model");
        l.setMinWidth(Label.USE_PREF_SIZE);
        getChildren().addAll(l, chooser);
        vm.modelRefProperty().addListener((o, a, ref) -> sync(ref));
        vm.runningProperty().addListener((o, a, running) -> {
            if (!running) {
                sync(vm.modelRefProperty().get()); // a failed or cancelled choice goes back
            }
        });
        fit();
    }

    private String label(String ref) {
        if (ref == null) {
            return "";
        }
        String b = bundled.get(ref);
        return b != null ? b : Paths.get(ref).getFileName().toString();
    }

    private void sync(String ref) {
        if (ref == null) {
            return;
        }
        syncing = true;
        try {
            chooser.getItems().removeIf(r -> !bundled.containsKey(r));
            if (!bundled.containsKey(ref)) {
                chooser.getItems().add(ref);
            }
            chooser.setValue(ref);
            chooser.getTooltip().setText(bundled.containsKey(ref) ? label(ref) : ref);
        } finally {
            syncing = false;
        }
        fit();
    }

    /** Wide enough for the longest entry (up to 420 px; a longer file name shows whole in the tooltip). */
    private void fit() {
        double widest = 0;
        for (String r : chooser.getItems()) {
            widest = Math.max(widest, new Text(label(r)).getLayoutBounds().getWidth());
        }
        double w = Math.min(420, Math.ceil(widest) + 48);
        chooser.setPrefWidth(w);
        chooser.setMinWidth(w);
    }

    public ComboBox<String> chooser() {
        return chooser;
    }
}

package org.layerlens.viewer.pane;

import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.util.StringConverter;
import org.layerlens.engine.api.Model;
import org.layerlens.viewer.ActivationMapViewModel;
import org.layerlens.viewer.ExplainViewModel;
import org.layerlens.viewer.InspectorViewModel;

/**
 * Under the picture, beside the detection controls: the priors switch and the head whose priors
 * are drawn, and where the selected module looks (off, mean activation, Eigen-CAM) with its
 * opacity.
 */
public final class ExplainControls extends FlowPane {
    public ExplainControls(InspectorViewModel vm, ExplainViewModel explain) {
        super(10, 4);
        setAlignment(Pos.CENTER_LEFT);
        CheckBox priors = new CheckBox("Priors");
        priors.setId("priorsToggle");
        priors.setTooltip(new Tooltip("Draw the head's prior centres; the anchors of the cell under the pointer (P)"));
        priors.selectedProperty().bindBidirectional(explain.priors().visibleProperty());
        ChoiceBox<Integer> head = new ChoiceBox<>();
        head.setId("priorsHead");
        head.setTooltip(new Tooltip("The head whose priors are drawn ([ and ] step through the heads)"));
        head.disableProperty().bind(priors.selectedProperty().not());
        vm.modelProperty().addListener((o, a, m) -> heads(head, m, explain));
        heads(head, vm.modelProperty().get(), explain);
        head.valueProperty().addListener((o, a, h) -> {
            if (h != null) {
                explain.priors().headProperty().set(h);
            }
        });
        explain.priors().headProperty().addListener((o, a, h) -> {
            if (head.getItems().contains(h.intValue())) {
                head.setValue(h.intValue());
            }
        });

        ChoiceBox<ActivationMapViewModel.Mode> mode = new ChoiceBox<>();
        mode.setId("layerMapMode");
        mode.getItems().setAll(ActivationMapViewModel.Mode.values());
        mode.valueProperty().bindBidirectional(explain.activation().modeProperty());
        mode.setTooltip(new Tooltip("Where the selected module looks, over the picture: the mean of its channels, "
                + "or Eigen-CAM (its first principal component) (M)"));
        Slider opacity = new Slider(0, 1, 0.7);
        opacity.setId("layerMapOpacity");
        opacity.setPrefWidth(80);
        opacity.valueProperty().bindBidirectional(explain.activation().opacityProperty());
        opacity.disableProperty().bind(explain.activation().modeProperty().isEqualTo(ActivationMapViewModel.Mode.OFF));
        opacity.setTooltip(new Tooltip("Opacity of the layer map"));
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(16, 16);
        busy.visibleProperty().bind(explain.activation().busyProperty());
        Label note = new Label();
        note.setId("layerMapNote");
        note.textProperty().bind(explain.activation().noteProperty());
        note.setTooltip(new Tooltip());
        note.getTooltip().textProperty().bind(note.textProperty());
        // as wide as the row allows, up to 360 px, cut in the middle (the module's own name is the path's end);
        // left out of the minimum width (below) so that a long path does not widen the picture's column
        note.setTextOverrun(OverrunStyle.CENTER_ELLIPSIS);
        note.setMinWidth(0);
        note.maxWidthProperty().bind(Bindings.min(360, widthProperty()));
        HBox p = new HBox(4, priors, head);
        p.setAlignment(Pos.CENTER_LEFT);
        HBox l = new HBox(4, mode, opacity, busy);
        l.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(p, l, note);
        this.p = p;
        this.l = l;
    }

    private final HBox p;
    private final HBox l;

    /** The rows of controls, not the caption: a FlowPane's minimum is its widest child's preferred width. */
    @Override
    protected double computeMinWidth(double height) {
        return snappedLeftInset() + snappedRightInset() + Math.max(p.prefWidth(-1), l.prefWidth(-1));
    }

    private static void heads(ChoiceBox<Integer> box, Model m, ExplainViewModel explain) {
        box.getItems().clear();
        if (m == null) {
            return;
        }
        var heads = m.layout().heads();
        box.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer h) {
                if (h == null || h >= heads.size()) {
                    return "";
                }
                var head = heads.get(h);
                return "head " + h + " · " + head.rows() + "x" + head.cols() + " · " + head.anchors() + " anchors";
            }

            @Override
            public Integer fromString(String s) {
                return null;
            }
        });
        for (int h = 0; h < heads.size(); h++) {
            box.getItems().add(h);
        }
        int h = explain.priors().headProperty().get();
        box.setValue(h < heads.size() ? h : 0);
    }
}

package org.layerlens.viewer.pane;

import java.util.ArrayList;
import java.util.List;

import javafx.application.Platform;
import javafx.geometry.Bounds;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import org.controlsfx.control.SegmentedButton;
import org.layerlens.engine.ShapeTrail;
import org.layerlens.engine.graph.PathStyle;
import org.layerlens.engine.api.Inspection;
import org.layerlens.viewer.InspectorViewModel;
import org.layerlens.viewer.RunResult;

/**
 * The tensor's journey, one step per stage (◆: read by a head). Clicking a step selects its
 * module; selecting a module anywhere highlights its step and scrolls it into view.
 */
public final class ShapeTrailPane extends ScrollPane {
    private final InspectorViewModel vm;
    private final SegmentedButton trail = new SegmentedButton();
    private org.layerlens.engine.api.Model builtFor;
    /** The highlighted step, scrolled into view again when the pane is first laid out or resized. */
    private ToggleButton shown;

    public ShapeTrailPane(InspectorViewModel vm) {
        this.vm = vm;
        setId("shapeTrail");
        setContent(trail);
        setFitToHeight(true);
        setVbarPolicy(ScrollBarPolicy.NEVER);
        setPrefHeight(44);
        setMinHeight(44);
        trail.getStyleClass().add(SegmentedButton.STYLE_CLASS_DARK);
        vm.resultProperty().addListener((o, a, r) -> build(r));
        vm.selectedPathProperty().addListener((o, a, p) -> highlight(p));
        // at start-up the selection (--layer) comes before the pane has its width: reveal it once it has
        viewportBoundsProperty().addListener((o, a, b) -> {
            if (shown != null && (a == null || a.getWidth() != b.getWidth())) {
                Platform.runLater(() -> reveal(shown));
            }
        });
    }

    private void build(RunResult r) {
        Inspection ins = r == null ? null : r.inspection();
        if (ins == null) {
            trail.getButtons().clear();
            builtFor = null;
            return;
        }
        if (builtFor == r.model()) {
            return; // a new image or frame: the same shapes
        }
        builtFor = r.model();
        List<ToggleButton> buttons = new ArrayList<>();
        for (ShapeTrail.Step s : ShapeTrail.of(ins.model().tree(), ins.model().inputSize(), ins.events())) {
            ToggleButton b = new ToggleButton(s.label() + (s.source() ? " ◆" : ""));
            b.setUserData(s.path());
            b.setMinWidth(ToggleButton.USE_PREF_SIZE);
            b.setTooltip(new Tooltip(s.path().isEmpty() ? "input image" : s.path()
                    + (s.source() ? " (read by the SSD heads)" : "")));
            b.setOnAction(e -> {
                if (!s.path().isEmpty()) {
                    vm.select(s.path());
                }
                highlight(vm.selectedPathProperty().get());
            });
            buttons.add(b);
        }
        trail.getButtons().setAll(buttons);
        highlight(vm.selectedPathProperty().get());
    }

    private void highlight(String path) {
        ToggleButton best = null;
        PathStyle style = builtFor == null ? PathStyle.DOTTED : builtFor.tree().pathStyle();
        for (ToggleButton b : trail.getButtons()) {
            String p = (String) b.getUserData();
            if (!p.isEmpty() && style.within(path, p)) {
                best = b;
            }
        }
        for (ToggleButton b : trail.getButtons()) {
            b.setSelected(b == best);
        }
        shown = best;
        if (best != null) {
            ToggleButton target = best;
            Platform.runLater(() -> reveal(target)); // after layout, when the buttons have their sizes
        }
    }

    /** Scrolls horizontally so that the step is in view (centred when the trail is longer than the pane). */
    private void reveal(ToggleButton b) {
        if (b != shown || !trail.getButtons().contains(b)) {
            return; // another step was selected meanwhile, or the trail was rebuilt
        }
        applyCss();
        layout(); // the buttons of a trail built just now have no sizes yet
        double content = trail.getBoundsInLocal().getWidth();
        double view = getViewportBounds().getWidth();
        if (content <= view) {
            return;
        }
        Bounds bb = trail.sceneToLocal(b.localToScene(b.getBoundsInLocal()));
        double centre = (bb.getMinX() + bb.getMaxX()) / 2;
        double x = Math.max(0, Math.min(content - view, centre - view / 2));
        setHvalue(getHmin() + (getHmax() - getHmin()) * x / (content - view));
    }
}

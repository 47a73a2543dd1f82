package org.layerlens.viewer;

import java.nio.file.Path;
import java.util.Optional;

import javafx.geometry.Point2D;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TextInputDialog;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import org.layerlens.engine.api.Box;
import org.layerlens.engine.api.Detection;
import org.layerlens.viewer.pane.ActivationMapOverlay;
import org.layerlens.viewer.pane.ClassMapsPane;
import org.layerlens.viewer.pane.CoverageWindow;
import org.layerlens.viewer.pane.Dialogs;
import org.layerlens.viewer.pane.ExplainControls;
import org.layerlens.viewer.pane.ExplainPane;
import org.layerlens.viewer.pane.FilePicker;
import org.layerlens.viewer.pane.ImageGeometry;
import org.layerlens.viewer.pane.PriorsOverlay;
import org.layerlens.viewer.pane.ProvenanceOverlay;
import org.layerlens.viewer.pane.QueryOverlay;

/**
 * The explain parts of one window, put into it the way ARCHITECTURE.md describes: the Explain
 * and Class Maps tabs, the overlays (where the selected module looks, priors, the selected
 * detection's provenance, a dragged box's best priors), the controls under the picture, the
 * gestures on the picture (drag a box; the pointer picks the cell whose anchors are drawn), the
 * Explain menu with its keys, File ▸ Anchor Coverage of a Dataset…, and the gallery's cell mark.
 */
public final class ExplainView {
    /** A drag shorter than this (display pixels) on either side is a click, not a box. */
    static final double MIN_DRAG = 5;
    private final InspectorView view;
    private final ExplainViewModel explain;
    private final ExplainPane pane;
    private final ClassMapsPane classMaps;
    private final PriorsOverlay priorsOverlay;
    private CoverageWindow coverageWindow;
    private Point2D dragStart;
    private String pendingModule;
    private boolean pulseListening;
    private FilePicker picker = FilePicker.DIALOGS;

    ExplainView(InspectorView view, InspectorViewModel vm) {
        this.view = view;
        this.explain = new ExplainViewModel(vm);
        this.pane = new ExplainPane(vm, explain);
        this.classMaps = new ClassMapsPane(vm, explain);
        this.priorsOverlay = new PriorsOverlay(explain);
        view.addSideTab("Explain", pane);
        view.addSideTab("Class Maps", classMaps);
        // the layer map under the detection boxes (above the channel heatmap); over them the selected
        // detection's prior, field and suppressed boxes (with the box itself drawn again on top),
        // the priors grid and the box asked about
        view.imagePane().addOverlay(1, new ActivationMapOverlay(explain.activation()));
        view.imagePane().addOverlay(new ProvenanceOverlay(explain));
        view.imagePane().addOverlay(priorsOverlay);
        view.imagePane().addOverlay(new QueryOverlay(explain.query()));
        view.addPictureControls(new ExplainControls(vm, explain));
        view.galleryPane().markProperty().bind(javafx.beans.binding.Bindings.createObjectBinding(() -> {
            HeadCell c = explain.cellProperty().get();
            return c == null ? null : c.fraction();
        }, explain.cellProperty()));
        gestures(view.imagePane().canvas());
        explain.setModuleSelector(this::selectAfterPulse);
        // a click on a box or a row asks "why this box?": show the answer (N and Shift+N leave the tab alone)
        view.imagePane().addClickHandler(p -> {
            if (vm.selectedDetectionProperty().get() != null) {
                view.showSideTab("Explain");
            }
        });
        view.detectionsTable().addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            if (vm.selectedDetectionProperty().get() != null) {
                view.showSideTab("Explain");
            }
        });
        view.menu().getMenus().add(view.menu().getMenus().size() - 1, menu());
        view.menu().addFileItem(item("Anchor Coverage of a Dataset…", null, this::coverage));
    }

    public ExplainViewModel viewModel() {
        return explain;
    }

    public ExplainPane explainPane() {
        return pane;
    }

    public ClassMapsPane classMapsPane() {
        return classMaps;
    }

    public PriorsOverlay priorsOverlay() {
        return priorsOverlay;
    }

    /** The coverage window once opened (null before). */
    public CoverageWindow coverageWindow() {
        return coverageWindow;
    }

    /** Replaces the folder dialog (tests). */
    void setPicker(FilePicker p) {
        picker = p;
    }

    private Menu menu() {
        CheckMenuItem priors = new CheckMenuItem("Show Priors of the Head");
        priors.setAccelerator(new KeyCodeCombination(KeyCode.P));
        priors.selectedProperty().bindBidirectional(explain.priors().visibleProperty());
        Menu m = new Menu("_Explain", null, priors,
                item("Next Head", new KeyCodeCombination(KeyCode.CLOSE_BRACKET), () -> explain.priors().stepHead(1)),
                item("Previous Head", new KeyCodeCombination(KeyCode.OPEN_BRACKET),
                        () -> explain.priors().stepHead(-1)),
                new SeparatorMenuItem(),
                item("Ask About a Box…", new KeyCodeCombination(KeyCode.B), this::askDialog),
                item("Clear the Box", new KeyCodeCombination(KeyCode.ESCAPE), () -> explain.query().clear()),
                new SeparatorMenuItem(),
                item("Layer Map: Off, Mean, Eigen-CAM", new KeyCodeCombination(KeyCode.M),
                        () -> explain.activation().cycle()),
                item("Next Class Map", new KeyCodeCombination(KeyCode.C), () -> explain.classMaps().stepClass(1)),
                item("Previous Class Map", new KeyCodeCombination(KeyCode.C, KeyCombination.SHIFT_DOWN),
                        () -> explain.classMaps().stepClass(-1)),
                new SeparatorMenuItem(),
                item("Show the Explain Tab", new KeyCodeCombination(KeyCode.E), () -> view.showSideTab("Explain")),
                item("Show the Class Maps Tab", new KeyCodeCombination(KeyCode.E, KeyCombination.SHIFT_DOWN),
                        () -> view.showSideTab("Class Maps")));
        m.setId("explainMenu");
        return m;
    }

    private static MenuItem item(String text, KeyCombination keys, Runnable action) {
        MenuItem mi = new MenuItem(text);
        if (keys != null) {
            mi.setAccelerator(keys);
        }
        mi.setOnAction(e -> action.run());
        return mi;
    }

    /**
     * Dragging on the picture asks about the box as it grows (the answer follows the pointer);
     * moving over it picks the cell of the shown head whose anchors are drawn.
     */
    private void gestures(Canvas c) {
        c.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
            dragStart = e.getButton() == MouseButton.PRIMARY ? new Point2D(e.getX(), e.getY()) : null;
        });
        c.addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> drag(e, false));
        c.addEventHandler(MouseEvent.MOUSE_RELEASED, e -> drag(e, true));
        c.addEventHandler(MouseEvent.MOUSE_MOVED, e -> {
            ImageGeometry geo = view.imagePane().geometry();
            if (geo != null && explain.priors().gridProperty().get() != null) {
                Point2D p = geo.toImage(e.getX(), e.getY());
                explain.priors().pointAt(p.getX(), p.getY());
            }
        });
        c.addEventHandler(MouseEvent.MOUSE_EXITED, e -> explain.priors().hoverProperty().set(null));
    }

    private void drag(MouseEvent e, boolean released) {
        ImageGeometry geo = view.imagePane().geometry();
        Point2D s = dragStart;
        if (s == null || geo == null) {
            return;
        }
        if (released) {
            dragStart = null;
        }
        if (Math.abs(e.getX() - s.getX()) < MIN_DRAG || Math.abs(e.getY() - s.getY()) < MIN_DRAG) {
            return;
        }
        Point2D a = geo.toImage(Math.min(s.getX(), e.getX()), Math.min(s.getY(), e.getY()));
        Point2D b = geo.toImage(Math.max(s.getX(), e.getX()), Math.max(s.getY(), e.getY()));
        if (explain.query().ask(new Box(a.getX(), a.getY(), b.getX(), b.getY())) && released) {
            view.showSideTab("Explain");
        }
    }

    /**
     * Selects a module once the next pulse has laid out and drawn what is already asked for (the
     * Explain tab, the overlays); rapid selections (N held down) select only the last one's module.
     */
    private void selectAfterPulse(String path) {
        javafx.scene.Scene scene = view.getScene();
        if (scene == null) {
            vm().select(path);
            return;
        }
        pendingModule = path;
        if (pulseListening) {
            return;
        }
        pulseListening = true;
        Runnable[] listener = new Runnable[1];
        listener[0] = () -> javafx.application.Platform.runLater(() -> {
            // after the pulse (and off its listener list, which must not change while it runs)
            scene.removePostLayoutPulseListener(listener[0]);
            if (pulseListening) {
                pulseListening = false;
                String p = pendingModule;
                pendingModule = null;
                if (p != null) {
                    vm().select(p);
                }
            }
        });
        scene.addPostLayoutPulseListener(listener[0]);
        javafx.application.Platform.requestNextPulse();
    }

    private InspectorViewModel vm() {
        return view.viewModel();
    }

    /** B: a box typed as x1,y1,x2,y2 (the selected detection's box to start from). */
    private void askDialog() {
        if (view.viewModel().inspectionProperty().get() == null) {
            return;
        }
        Detection d = view.viewModel().selectedDetectionProperty().get();
        Box start = explain.query().boxProperty().get();
        if (start == null && d != null) {
            start = d.box();
        }
        TextInputDialog dlg = new TextInputDialog(start == null ? "" : String.format(java.util.Locale.ROOT,
                "%.0f,%.0f,%.0f,%.0f", start.x1(), start.y1(), start.x2(), start.y2()));
        dlg.initOwner(view.getScene().getWindow());
        dlg.setTitle("Ask about a box");
        dlg.setHeaderText("Why was an object here missed? Its box in the image's pixels: x1,y1,x2,y2");
        Optional<String> text = dlg.showAndWait();
        if (text.isEmpty()) {
            return;
        }
        try {
            if (explain.query().ask(Box.parse(text.get()))) {
                view.showSideTab("Explain");
            } else {
                Dialogs.error(view, "box " + text.get().strip() + " lies outside the image");
            }
        } catch (IllegalArgumentException ex) {
            Dialogs.error(view, ex.getMessage());
        }
    }

    /** File ▸ Anchor Coverage of a Dataset…: a folder of VOC annotations, measured with the window's model. */
    private void coverage() {
        if (view.viewModel().modelProperty().get() == null) {
            return;
        }
        Path dir = picker.folder(view, "Anchor coverage: a folder of Pascal VOC .xml annotations (and their images)");
        if (dir != null) {
            measure(dir);
        }
    }

    /** Measures a folder and shows the coverage window (the route the menu takes after its dialog). */
    public void measure(Path dir) {
        if (coverageWindow == null) {
            coverageWindow = new CoverageWindow(view.getScene().getWindow(), explain.coverage(), this::coverage);
        }
        if (explain.coverage().measure(dir)) {
            coverageWindow.show();
        }
    }

    boolean busy() {
        return explain.busy();
    }
}

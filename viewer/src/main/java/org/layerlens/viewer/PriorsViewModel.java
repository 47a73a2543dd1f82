package org.layerlens.viewer;

import java.util.ArrayList;
import java.util.List;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.layerlens.engine.api.Box;
import org.layerlens.engine.api.DetectorOutput;
import org.layerlens.engine.ssd.HeadLayout;

/**
 * The priors of one head over the picture: whether they are shown, which head, its grid (each
 * cell's prior centre, in the original image's pixels, as the model's own prior boxes place it:
 * pytorch-ssd's centres are {@code (j + 0.5) / (300 / shrinkage)}, not always the map's cell
 * centres) and the cell under the pointer, whose anchors are drawn. The grid is a lookup in the
 * committed result's priors (a few thousand boxes), built on the JavaFX thread.
 */
public final class PriorsViewModel {
    /** One head's priors for the committed image: per cell, its centre; per anchor, its box. */
    public record Grid(HeadLayout.Head head, double[] centres, Box[] priors) {
        /** The centre of a cell, {@code {x, y}} in image pixels. */
        public double[] centre(int row, int col) {
            int k = 2 * (row * head.cols() + col);
            return new double[] {centres[k], centres[k + 1]};
        }

        public int cells() {
            return head.rows() * head.cols();
        }

        /** The priors (one per anchor) of a cell. */
        public List<Box> anchors(int row, int col) {
            List<Box> out = new ArrayList<>();
            int first = (row * head.cols() + col) * head.anchors();
            for (int a = 0; a < head.anchors(); a++) {
                out.add(priors[first + a]);
            }
            return out;
        }

        /** The index of a cell's anchor in the model's raw output order. */
        public int priorIndex(int row, int col, int anchor) {
            return head.first() + (row * head.cols() + col) * head.anchors() + anchor;
        }

        /** The cell whose prior centre is nearest to a point (image pixels). */
        public HeadCell nearest(double x, double y) {
            int best = 0;
            double bestD = Double.POSITIVE_INFINITY;
            for (int i = 0; i < cells(); i++) {
                double dx = centres[2 * i] - x;
                double dy = centres[2 * i + 1] - y;
                double d = dx * dx + dy * dy;
                if (d < bestD) {
                    bestD = d;
                    best = i;
                }
            }
            return new HeadCell(head.index(), head.rows(), head.cols(), best / head.cols(), best % head.cols());
        }
    }

    private final InspectorViewModel vm;
    private final BooleanProperty visible = new SimpleBooleanProperty(false);
    private final IntegerProperty head = new SimpleIntegerProperty(0);
    private final ObjectProperty<HeadCell> hover = new SimpleObjectProperty<>();
    private final ReadOnlyObjectWrapper<Grid> grid = new ReadOnlyObjectWrapper<>();

    PriorsViewModel(InspectorViewModel vm) {
        this.vm = vm;
        vm.resultProperty().addListener((o, a, r) -> rebuild());
        head.addListener((o, a, h) -> rebuild());
        visible.addListener((o, a, v) -> rebuild());
    }

    /** Whether the selected head's priors are drawn (P). */
    public BooleanProperty visibleProperty() {
        return visible;
    }

    /** The head whose priors are drawn (0 = the largest map). */
    public IntegerProperty headProperty() {
        return head;
    }

    /** The cell under the pointer (null when the pointer is off the picture). */
    public ObjectProperty<HeadCell> hoverProperty() {
        return hover;
    }

    /** The shown head's grid for the committed image; null while hidden or with no result. */
    public ReadOnlyObjectProperty<Grid> gridProperty() {
        return grid.getReadOnlyProperty();
    }

    /** The number of heads of the committed model (0 before one). */
    public int heads() {
        var m = vm.modelProperty().get();
        return m == null ? 0 : m.layout().heads().size();
    }

    /** Moves to the next (+1) or previous (-1) head, wrapping around. */
    public void stepHead(int direction) {
        int n = heads();
        if (n > 0) {
            head.set(Math.floorMod(head.get() + direction, n));
        }
    }

    /** Points at a place on the picture (image pixels): the nearest cell of the shown head. */
    public void pointAt(double x, double y) {
        Grid g = grid.get();
        hover.set(g == null ? null : g.nearest(x, y));
    }

    private void rebuild() {
        RunResult r = vm.resultProperty().get();
        hover.set(null);
        if (!visible.get() || r == null || r.inspection() == null) {
            grid.set(null);
            return;
        }
        List<HeadLayout.Head> heads = r.model().layout().heads();
        if (head.get() >= heads.size()) {
            head.set(0); // rebuilds again through the listener
            return;
        }
        grid.set(grid(r.inspection().output(), heads.get(head.get())));
    }

    /** One head's grid from a pass's output (image pixels). */
    public static Grid grid(DetectorOutput out, HeadLayout.Head h) {
        int cells = h.rows() * h.cols();
        double[] centres = new double[2 * cells];
        Box[] priors = new Box[h.count()];
        for (int i = 0; i < h.count(); i++) {
            priors[i] = out.prior(h.first() + i);
        }
        for (int c = 0; c < cells; c++) {
            // every anchor of a cell shares its centre; anchor 0's is the cell's
            Box p = priors[c * h.anchors()];
            centres[2 * c] = (p.x1() + p.x2()) / 2;
            centres[2 * c + 1] = (p.y1() + p.y2()) / 2;
        }
        return new Grid(h, centres, priors);
    }
}

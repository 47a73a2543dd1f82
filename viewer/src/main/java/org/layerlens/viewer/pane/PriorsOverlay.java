package org.layerlens.viewer.pane;

import java.util.List;

import javafx.beans.Observable;
import javafx.geometry.Point2D;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import org.layerlens.engine.api.Box;
import org.layerlens.viewer.ExplainViewModel;
import org.layerlens.viewer.HeadCell;
import org.layerlens.viewer.PriorsViewModel;

/**
 * The shown head's priors: every cell's prior centre as a dot (the grid the head predicts on),
 * and the anchors (prior boxes) of one cell: the one under the pointer, else the selected
 * detection's when it came from this head.
 */
public final class PriorsOverlay implements ImageOverlay {
    public static final Color ANCHOR = Color.web("#ffd600");
    private static final javafx.scene.text.Font FONT = javafx.scene.text.Font.font(null,
            javafx.scene.text.FontWeight.BOLD, 11);
    private final PriorsViewModel priors;
    private final ExplainViewModel explain;

    public PriorsOverlay(ExplainViewModel explain) {
        this.explain = explain;
        this.priors = explain.priors();
    }

    @Override
    public List<Observable> dependencies() {
        return List.of(priors.gridProperty(), priors.hoverProperty(), explain.cellProperty());
    }

    /** The cell whose anchors are drawn, or null. */
    public HeadCell shownCell() {
        PriorsViewModel.Grid grid = priors.gridProperty().get();
        if (grid == null) {
            return null;
        }
        HeadCell c = priors.hoverProperty().get();
        if (c == null) {
            c = explain.cellProperty().get();
        }
        return c != null && c.head() == grid.head().index() ? c : null;
    }

    @Override
    public void draw(GraphicsContext g, ImageGeometry geo) {
        PriorsViewModel.Grid grid = priors.gridProperty().get();
        if (grid == null) {
            return;
        }
        // dots shrink on dense grids (faces-v1's 32x32) so the picture stays visible between them
        double step = geo.networkSquare().getWidth() / grid.head().cols();
        double r = Math.max(1.5, Math.min(3, step / 6));
        for (int i = 0; i < grid.cells(); i++) {
            Point2D p = geo.toCanvas(grid.centres()[2 * i], grid.centres()[2 * i + 1]);
            g.setFill(Color.BLACK);
            g.fillOval(p.getX() - r - 1, p.getY() - r - 1, 2 * r + 2, 2 * r + 2);
            g.setFill(Color.WHITE);
            g.fillOval(p.getX() - r, p.getY() - r, 2 * r, 2 * r);
        }
        HeadCell c = shownCell();
        if (c == null) {
            return;
        }
        for (Box b : grid.anchors(c.row(), c.col())) {
            ProvenanceOverlay.haloed(g, geo, b, ANCHOR, 2);
        }
        double[] centre = grid.centre(c.row(), c.col());
        Point2D p = geo.toCanvas(centre[0], centre[1]);
        g.setFill(ANCHOR);
        g.fillOval(p.getX() - r - 2, p.getY() - r - 2, 2 * r + 4, 2 * r + 4);
        String t = String.format(java.util.Locale.ROOT, "head %d · cell %d,%d · %d anchors", c.head(), c.row(),
                c.col(), grid.head().anchors());
        javafx.scene.text.Text measure = new javafx.scene.text.Text(t);
        measure.setFont(FONT);
        double tw = measure.getLayoutBounds().getWidth() + 8;
        // beside the centre, kept inside the picture
        double tx = Math.max(0, Math.min(geo.width() - tw, p.getX() + 8));
        double ty = p.getY() + 8 + 16 <= geo.height() ? p.getY() + 8 : p.getY() - 24;
        g.setFill(Color.color(0, 0, 0, 0.75));
        g.fillRect(tx, ty, tw, 16);
        g.setFill(ANCHOR);
        g.setFont(FONT);
        g.fillText(t, tx + 4, ty + 12);
    }
}

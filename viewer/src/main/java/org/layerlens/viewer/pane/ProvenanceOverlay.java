package org.layerlens.viewer.pane;

import java.util.List;

import javafx.beans.Observable;
import javafx.geometry.Point2D;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import org.layerlens.engine.api.Box;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.Provenance;
import org.layerlens.viewer.ExplainViewModel;

/**
 * Where the selected detection came from, on the picture: the receptive field of its cell
 * (cyan, dotted, lightly filled), the candidates NMS suppressed in its favour (dashed, in its
 * class colour), and its prior (white on black, so it shows on any picture) with the prior's
 * centre, the cell's place; all over the other (faded) boxes, and under the detection's own box,
 * which is drawn again on top.
 */
public final class ProvenanceOverlay implements ImageOverlay {
    public static final Color FIELD = Color.web("#00b8d4");
    public static final Color PRIOR = Color.WHITE;
    private final ExplainViewModel explain;

    public ProvenanceOverlay(ExplainViewModel explain) {
        this.explain = explain;
    }

    @Override
    public List<Observable> dependencies() {
        return List.of(explain.detectionProperty());
    }

    @Override
    public void draw(GraphicsContext g, ImageGeometry geo) {
        Detection d = explain.detectionProperty().get();
        if (d == null) {
            return;
        }
        Provenance p = d.provenance();
        Box rf = p.receptiveField();
        g.setFill(FIELD.deriveColor(0, 1, 1, 0.10));
        fill(g, geo, rf);
        g.setStroke(FIELD);
        g.setLineWidth(1.5);
        g.setLineDashes(2, 3);
        stroke(g, geo, rf);
        g.setStroke(DetectionBoxes.colour(d.classId()));
        g.setLineWidth(1.5);
        g.setLineDashes(6, 4);
        for (Provenance.Suppressed s : p.suppressed()) {
            stroke(g, geo, s.box());
        }
        g.setLineDashes((double[]) null);
        haloed(g, geo, p.prior(), PRIOR, 2);
        Point2D c = geo.toCanvas((p.prior().x1() + p.prior().x2()) / 2, (p.prior().y1() + p.prior().y2()) / 2);
        g.setFill(Color.BLACK);
        g.fillOval(c.getX() - 4.5, c.getY() - 4.5, 9, 9);
        g.setFill(PRIOR);
        g.fillOval(c.getX() - 3, c.getY() - 3, 6, 6);
        DetectionBoxes.box(g, geo, d, 1, 4);
    }

    static void stroke(GraphicsContext g, ImageGeometry geo, Box b) {
        Point2D a = geo.toCanvas(b.x1(), b.y1());
        Point2D z = geo.toCanvas(b.x2(), b.y2());
        g.strokeRect(a.getX(), a.getY(), z.getX() - a.getX(), z.getY() - a.getY());
    }

    static void fill(GraphicsContext g, ImageGeometry geo, Box b) {
        Point2D a = geo.toCanvas(b.x1(), b.y1());
        Point2D z = geo.toCanvas(b.x2(), b.y2());
        g.fillRect(a.getX(), a.getY(), z.getX() - a.getX(), z.getY() - a.getY());
    }

    /** A box in {@code colour} on a black line one pixel wider each side: visible on light and dark pictures. */
    static void haloed(GraphicsContext g, ImageGeometry geo, Box b, Color colour, double width) {
        g.setStroke(Color.BLACK);
        g.setLineWidth(width + 2);
        stroke(g, geo, b);
        g.setStroke(colour);
        g.setLineWidth(width);
        stroke(g, geo, b);
    }
}

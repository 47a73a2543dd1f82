package org.layerlens.viewer.pane;

import java.util.List;

import javafx.beans.Observable;
import javafx.geometry.Point2D;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;
import org.layerlens.engine.api.Box;
import org.layerlens.engine.api.PriorMatch;
import org.layerlens.engine.api.PriorQuery;
import org.layerlens.viewer.QueryViewModel;

/**
 * A box the user asked about (white and black dashes) and its best priors, numbered 1 to 5 by
 * IoU: green where a prior reaches the match threshold (training would have matched the object
 * there), orange where none does; the best drawn thicker.
 */
public final class QueryOverlay implements ImageOverlay {
    public static final Color MATCHED = Color.web("#00c853");
    public static final Color UNMATCHED = Color.web("#ff6d00");
    private static final Font FONT = Font.font(null, FontWeight.BOLD, 11);
    private final QueryViewModel query;

    public QueryOverlay(QueryViewModel query) {
        this.query = query;
    }

    @Override
    public List<Observable> dependencies() {
        return List.of(query.boxProperty(), query.answerProperty());
    }

    @Override
    public void draw(GraphicsContext g, ImageGeometry geo) {
        Box box = query.boxProperty().get();
        if (box == null) {
            return;
        }
        QueryViewModel.Answer a = query.answerProperty().get();
        if (a != null && a.query().box().equals(box)) {
            PriorQuery q = a.query();
            g.setFont(FONT);
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            // each marker at its prior's top-left corner, moved along the row until it covers no
            // other: neighbouring priors (and all those clamped into an image corner) share a corner
            List<Point2D> marks = new java.util.ArrayList<>();
            for (PriorMatch m : q.best()) {
                Point2D tl = geo.toCanvas(m.prior().x1(), m.prior().y1());
                double x = Math.max(8, Math.min(geo.width() - 8, tl.getX() + 8));
                double y = Math.max(8, Math.min(geo.height() - 8, tl.getY() + 8));
                Point2D free = free(marks, x, y, geo.width(), geo.height());
                x = free.getX();
                y = free.getY();
                marks.add(new Point2D(x, y));
            }
            for (int i = q.best().size() - 1; i >= 0; i--) { // the best on top
                PriorMatch m = q.best().get(i);
                Color c = m.iou() >= q.matchThreshold() ? MATCHED : UNMATCHED;
                ProvenanceOverlay.haloed(g, geo, m.prior(), c, i == 0 ? 2.5 : 1.2);
                double x = marks.get(i).getX();
                double y = marks.get(i).getY();
                g.setFill(c);
                g.fillOval(x - 7, y - 7, 14, 14);
                g.setFill(Color.BLACK);
                g.fillText(Integer.toString(i + 1), x, y);
            }
        }
        g.setLineWidth(2);
        g.setStroke(Color.BLACK);
        ProvenanceOverlay.stroke(g, geo, box);
        g.setStroke(Color.WHITE);
        g.setLineDashes(5, 4);
        ProvenanceOverlay.stroke(g, geo, box);
        g.setLineDashes((double[]) null);
    }

    /**
     * The place nearest (x, y) where a marker overlaps none placed: steps of 16 px right and left,
     * then a row down or up, inside the picture.
     */
    private static Point2D free(List<Point2D> marks, double x, double y, double w, double h) {
        for (int ring = 0; ring < 8; ring++) {
            for (int dy = -ring; dy <= ring; dy++) {
                for (int dx = -ring; dx <= ring; dx++) {
                    if (Math.max(Math.abs(dx), Math.abs(dy)) != ring) {
                        continue; // this ring's places only
                    }
                    double px = Math.max(8, Math.min(w - 8, x + 16 * dx));
                    double py = Math.max(8, Math.min(h - 8, y + 16 * dy));
                    if (!covers(marks, px, py)) {
                        return new Point2D(px, py);
                    }
                }
            }
        }
        return new Point2D(x, y);
    }

    /** Whether a 14-px marker at (x, y) would overlap one already placed. */
    private static boolean covers(List<Point2D> marks, double x, double y) {
        for (Point2D p : marks) {
            if (Math.abs(p.getX() - x) < 15 && Math.abs(p.getY() - y) < 15) {
                return true;
            }
        }
        return false;
    }
}

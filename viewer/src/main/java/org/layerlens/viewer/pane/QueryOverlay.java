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
            for (int i = q.best().size() - 1; i >= 0; i--) { // the best on top
                PriorMatch m = q.best().get(i);
                Color c = m.iou() >= q.matchThreshold() ? MATCHED : UNMATCHED;
                ProvenanceOverlay.haloed(g, geo, m.prior(), c, i == 0 ? 2.5 : 1.2);
                Point2D tl = geo.toCanvas(m.prior().x1(), m.prior().y1());
                double x = Math.max(8, Math.min(geo.width() - 8, tl.getX() + 8));
                double y = Math.max(8, Math.min(geo.height() - 8, tl.getY() + 8));
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
}

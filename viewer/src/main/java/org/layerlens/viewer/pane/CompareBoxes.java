package org.layerlens.viewer.pane;

import java.util.List;

import javafx.beans.Observable;
import javafx.geometry.Point2D;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import org.layerlens.engine.analysis.DetectionPair;
import org.layerlens.engine.api.Box;
import org.layerlens.viewer.CompareSource;
import org.layerlens.viewer.CompareViewModel;

/**
 * Run B's detections over the picture while comparing, dashed (a mirrored image's boxes reflected
 * back); the ones only one run has are red and say so. Not drawn when B saw another image file:
 * its boxes, scaled into this image's frame, are of another scene.
 */
public final class CompareBoxes implements ImageOverlay {
    private static final Color ALONE = Color.web("#e00000");
    private static final Font FONT = Font.font(null, FontWeight.BOLD, 11);
    private final CompareViewModel cmp;

    public CompareBoxes(CompareViewModel cmp) {
        this.cmp = cmp;
    }

    @Override
    public List<Observable> dependencies() {
        return List.of(cmp.resultProperty());
    }

    @Override
    public void draw(GraphicsContext g, ImageGeometry geo) {
        CompareViewModel.Result r = cmp.resultProperty().get();
        if (r == null || r.source() instanceof CompareSource.ImageFile) {
            return;
        }
        g.setFont(FONT);
        g.setLineDashes(6, 4);
        for (DetectionPair p : r.comparison().pairs()) {
            if (p.b() != null) {
                Color c = p.a() == null ? ALONE : DetectionBoxes.colour(p.b().classId());
                box(g, geo, p.b().box(), c, 0, p.a() == null ? "only in B" : null);
            } else {
                box(g, geo, p.a().box(), ALONE, 3, "only in A");
            }
        }
        g.setLineDashes();
    }

    private static void box(GraphicsContext g, ImageGeometry geo, Box b, Color c, double out, String note) {
        Point2D p = geo.toCanvas(b.x1(), b.y1());
        Point2D q = geo.toCanvas(b.x2(), b.y2());
        g.setStroke(c);
        g.setLineWidth(2);
        g.strokeRect(p.getX() - out, p.getY() - out, q.getX() - p.getX() + 2 * out, q.getY() - p.getY() + 2 * out);
        if (note != null) {
            g.setFill(c);
            g.fillText(note, p.getX() + 3, Math.min(geo.height() - 3, q.getY() + out + 13));
        }
    }
}

package org.layerlens.viewer.pane;

import java.util.List;
import java.util.Locale;

import javafx.beans.Observable;
import javafx.geometry.Point2D;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import org.layerlens.engine.api.Detection;
import org.layerlens.viewer.InspectorViewModel;

/**
 * The detections shown, as labelled boxes in the original image's pixels (clipped to the image by
 * the engine) scaled to the picture. The selected detection is drawn thicker and the others
 * faded, so a row picked in the table is easy to find on the image.
 */
public final class DetectionBoxes implements ImageOverlay {
    /** Colours by class (class 1 first), the usual 20 distinct ones. */
    public static final Color[] PALETTE = {Color.web("#e6194b"), Color.web("#3cb44b"), Color.web("#4363d8"),
        Color.web("#f58231"), Color.web("#911eb4"), Color.web("#42d4f4"), Color.web("#f032e6"),
        Color.web("#bfef45"), Color.web("#fabed4"), Color.web("#469990"), Color.web("#dcbeff"),
        Color.web("#9a6324"), Color.web("#800000"), Color.web("#aaffc3"), Color.web("#808000"),
        Color.web("#000075"), Color.web("#a9a9a9"), Color.web("#ffe119"), Color.web("#ffd8b1"),
        Color.web("#000000")};
    private static final Font FONT = Font.font(null, FontWeight.BOLD, 12);
    private final InspectorViewModel vm;

    public DetectionBoxes(InspectorViewModel vm) {
        this.vm = vm;
    }

    public static Color colour(int classId) {
        return PALETTE[Math.floorMod(classId - 1, PALETTE.length)];
    }

    @Override
    public List<Observable> dependencies() {
        return List.of(vm.detections(), vm.selectedDetectionProperty());
    }

    @Override
    public void draw(GraphicsContext g, ImageGeometry geo) {
        Detection selected = vm.selectedDetectionProperty().get();
        for (Detection d : vm.detections()) {
            if (d != selected) {
                box(g, geo, d, selected == null ? 1 : 0.45, 2);
            }
        }
        if (selected != null) {
            box(g, geo, selected, 1, 4);
        }
    }

    static void box(GraphicsContext g, ImageGeometry geo, Detection d, double alpha, double line) {
        Color c = colour(d.classId());
        g.setFont(FONT);
        Point2D a = geo.toCanvas(d.box().x1(), d.box().y1());
        Point2D b = geo.toCanvas(d.box().x2(), d.box().y2());
        g.setGlobalAlpha(alpha);
        g.setLineWidth(line);
        g.setStroke(c);
        g.strokeRect(a.getX(), a.getY(), b.getX() - a.getX(), b.getY() - a.getY());
        String t = String.format(Locale.ROOT, "%s %.2f", d.label(), d.score());
        Text measure = new Text(t);
        measure.setFont(FONT);
        double tw = measure.getLayoutBounds().getWidth() + 6;
        double ty = a.getY() >= 16 ? a.getY() - 16 : a.getY(); // above the box, or inside it at the top edge
        double tx = Math.min(a.getX(), Math.max(0, geo.width() - tw));
        g.setFill(c);
        g.fillRect(tx, ty, tw, 16);
        g.setFill(c.getBrightness() > 0.7 && c.getSaturation() < 0.5 ? Color.BLACK : Color.WHITE);
        g.fillText(t, tx + 3, ty + 12);
        g.setGlobalAlpha(1);
    }
}

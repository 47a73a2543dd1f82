package org.layerlens.viewer.pane;

import java.util.List;

import javafx.beans.Observable;
import javafx.geometry.Rectangle2D;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.Image;
import org.layerlens.viewer.FxImages;
import org.layerlens.viewer.LayerViewModel;

/**
 * The selected channel's heatmap over the picture, where the network saw it: the map covers the
 * network's input square, which is the whole picture for a stretching model and the padded
 * square (reaching past the picture's right or bottom edge, clipped there) for face-api. Cells
 * are drawn as cells (no smoothing): a 19x19 map shows 19x19 blocks.
 */
public final class HeatmapOverlay implements ImageOverlay {
    private final LayerViewModel layer;
    private LayerViewModel.Heat drawn;
    private Image image;

    public HeatmapOverlay(LayerViewModel layer) {
        this.layer = layer;
    }

    @Override
    public List<Observable> dependencies() {
        return List.of(layer.heatProperty(), layer.overlayProperty(), layer.overlayOpacityProperty());
    }

    @Override
    public void draw(GraphicsContext g, ImageGeometry geo) {
        LayerViewModel.Heat h = layer.heatProperty().get();
        LayerViewModel.LayerResult r = layer.layerProperty().get();
        if (!layer.overlayProperty().get() || h == null || r == null || r.pointLike() || r.data().flat) {
            return;
        }
        if (h != drawn) {
            image = FxImages.fromRgb(h.rgb()); // at most the map's size (256x256): cheap
            drawn = h;
        }
        Rectangle2D sq = geo.networkSquare();
        g.setImageSmoothing(false);
        g.setGlobalAlpha(layer.overlayOpacityProperty().get());
        g.drawImage(image, sq.getMinX(), sq.getMinY(), sq.getWidth(), sq.getHeight());
        g.setGlobalAlpha(1);
        g.setImageSmoothing(true);
    }
}

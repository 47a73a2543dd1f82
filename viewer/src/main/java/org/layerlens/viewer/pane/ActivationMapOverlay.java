package org.layerlens.viewer.pane;

import java.util.List;

import javafx.beans.Observable;
import javafx.geometry.Rectangle2D;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import org.layerlens.viewer.ActivationMapViewModel;

/**
 * Where the selected module looks (mean activation or Eigen-CAM) over the network's input square,
 * smoothed between cells (a map of where, not of cells), each cell as opaque as its level times
 * the chosen opacity, so the picture shows through where the map is low.
 */
public final class ActivationMapOverlay implements ImageOverlay {
    private final ActivationMapViewModel maps;
    private ActivationMapViewModel.Map drawn;
    private WritableImage image;

    public ActivationMapOverlay(ActivationMapViewModel maps) {
        this.maps = maps;
    }

    @Override
    public List<Observable> dependencies() {
        return List.of(maps.mapProperty(), maps.opacityProperty(), maps.modeProperty());
    }

    @Override
    public void draw(GraphicsContext g, ImageGeometry geo) {
        ActivationMapViewModel.Map m = maps.mapProperty().get();
        if (m == null || maps.modeProperty().get() == ActivationMapViewModel.Mode.OFF) {
            return;
        }
        if (m != drawn) {
            image = new WritableImage(m.cols(), m.rows()); // at most 256x256: cheap
            image.getPixelWriter().setPixels(0, 0, m.cols(), m.rows(), PixelFormat.getIntArgbInstance(), m.argb(), 0,
                    m.cols());
            drawn = m;
        }
        Rectangle2D sq = geo.networkSquare();
        g.setImageSmoothing(true);
        g.setGlobalAlpha(maps.opacityProperty().get());
        g.drawImage(image, sq.getMinX(), sq.getMinY(), sq.getWidth(), sq.getHeight());
        g.setGlobalAlpha(1);
    }
}

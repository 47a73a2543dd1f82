package org.layerlens.viewer.pane;

import java.util.List;

import javafx.beans.Observable;
import javafx.scene.canvas.GraphicsContext;

/**
 * Something drawn over the picture (detection boxes, a channel's heatmap; later priors or a
 * dragged query box). {@link ImagePane#addOverlay} draws overlays in the order added, whenever
 * the picture moves or one of an overlay's dependencies changes.
 */
public interface ImageOverlay {
    /** Draws with {@code g}'s origin at the picture's top-left corner. */
    void draw(GraphicsContext g, ImageGeometry geo);

    /** What the drawing depends on: the pane redraws when any of these changes. */
    List<Observable> dependencies();
}

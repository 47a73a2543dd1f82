package org.layerlens.viewer.pane;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import javafx.beans.Observable;
import javafx.geometry.Point2D;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Pane;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.viewer.InspectorViewModel;

/**
 * The picture, fitted to the pane, with overlays drawn over it on one canvas. Clicks are passed
 * on in the original image's pixels; the default handler selects the detection under the
 * pointer (the smallest box there), or none.
 */
public final class ImagePane extends Pane {
    private final InspectorViewModel vm;
    private final ImageView view = new ImageView();
    private final Canvas canvas = new Canvas();
    private final List<ImageOverlay> overlays = new ArrayList<>();
    private final List<Consumer<Point2D>> clickHandlers = new ArrayList<>();
    private ImageGeometry geometry;
    private boolean dirty = true;

    public ImagePane(InspectorViewModel vm) {
        this.vm = vm;
        setId("imagePane");
        view.setPreserveRatio(true);
        view.setSmooth(true);
        getChildren().addAll(view, canvas);
        setMinSize(200, 200);
        view.imageProperty().bind(vm.pictureProperty());
        for (Observable o : List.of(vm.pictureProperty(), vm.imageProperty(), vm.modelProperty(), widthProperty(),
                heightProperty())) {
            o.addListener(x -> invalidate());
        }
        canvas.setOnMouseClicked(this::clicked);
        clickHandlers.add(p -> vm.selectedDetectionProperty().set(vm.detectionAt(p.getX(), p.getY()).orElse(null)));
    }

    /** Adds an overlay above those added before. */
    public void addOverlay(ImageOverlay o) {
        addOverlay(overlays.size(), o);
    }

    /** Adds an overlay at a place in the drawing order (0: drawn first, under the others). */
    public void addOverlay(int position, ImageOverlay o) {
        overlays.add(position, o);
        for (Observable d : o.dependencies()) {
            d.addListener(x -> invalidate());
        }
        invalidate();
    }

    /** Receives clicks on the picture, in the original image's pixels. */
    public void addClickHandler(Consumer<Point2D> h) {
        clickHandlers.add(h);
    }

    /** The canvas over the picture, for overlays that take other mouse gestures (dragging a box). */
    public Canvas canvas() {
        return canvas;
    }

    /** Where the picture is now; null while there is none. */
    public ImageGeometry geometry() {
        return geometry;
    }

    private void clicked(MouseEvent e) {
        if (geometry == null || !e.isStillSincePress()) {
            return;
        }
        Point2D p = geometry.toImage(e.getX(), e.getY());
        clickHandlers.forEach(h -> h.accept(p));
    }

    /** Redraws on the next pulse, once, however many things changed. */
    public void invalidate() {
        dirty = true;
        requestLayout();
    }

    @Override
    protected void layoutChildren() {
        if (!dirty) {
            return;
        }
        dirty = false;
        Image pic = view.getImage();
        LoadedImage img = vm.imageProperty().get();
        Model m = vm.modelProperty().get();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
        if (pic == null || img == null || m == null) {
            geometry = null;
            return;
        }
        double pw = getWidth();
        double ph = getHeight();
        double s = Math.min(pw / img.originalWidth(), ph / img.originalHeight());
        double w = img.originalWidth() * s;
        double h = img.originalHeight() * s;
        double x = Math.floor((pw - w) / 2);
        double y = Math.floor((ph - h) / 2);
        view.setFitWidth(w);
        view.setFitHeight(h);
        view.relocate(x, y);
        canvas.setWidth(w);
        canvas.setHeight(h);
        canvas.relocate(x, y);
        geometry = new ImageGeometry(w, h, s, img.originalWidth(), img.originalHeight(),
                m.spec().input().factors(img.width(), img.height()));
        g.clearRect(0, 0, w, h);
        for (ImageOverlay o : overlays) {
            g.save();
            o.draw(g, geometry);
            g.restore();
        }
    }
}

package org.layerlens.viewer;

import java.util.Locale;

import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.image.Image;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.image.LoadedImage;

/**
 * One channel, large, as the network saw it: its input square, with the image placed in it as
 * the model's input transform places it (stretched for pytorch-ssd, padded at the bottom/right
 * for face-api), the value under the cursor, and the heatmap optionally over the image. Follows
 * the selected channel (its heatmap is computed by {@link LayerViewModel} on a worker).
 */
final class ChannelWindow {
    private static final int SIZE = 480;
    private final Stage stage = new Stage();
    private final InspectorViewModel vm;
    private final Canvas canvas = new Canvas(SIZE, SIZE);
    private final Label value = new Label(" ");
    private final Label how = new Label();
    private final CheckBox overlay = new CheckBox("Overlay on input image");
    private final Slider opacity = new Slider(0, 1, 0.6);
    private LayerViewModel.Heat heat;
    private Image heatImage;

    ChannelWindow(Window owner, InspectorViewModel vm) {
        this.vm = vm;
        stage.initOwner(owner);
        opacity.disableProperty().bind(overlay.selectedProperty().not());
        StackPane pics = new StackPane(canvas);
        pics.setId("channelPicture");
        pics.setOnMouseMoved(e -> {
            LayerViewModel.Heat h = heat;
            if (h == null) {
                return;
            }
            LayerData d = h.data();
            int x = (int) Math.min(d.width - 1, Math.max(0, e.getX() / SIZE * d.width));
            int y = (int) Math.min(d.height - 1, Math.max(0, e.getY() / SIZE * d.height));
            value.setText(LayerViewModel.valueText(d, h.channel(), x, y));
        });
        HBox row = new HBox(10, overlay, new Label("opacity"), opacity);
        VBox controls = new VBox(4, row, how, value);
        controls.setPadding(new Insets(6));
        stage.setScene(new Scene(new BorderPane(pics, null, null, controls, null)));
        overlay.selectedProperty().addListener(x -> draw());
        opacity.valueProperty().addListener(x -> draw());
        vm.layer().heatProperty().addListener((o, a, h) -> {
            if (stage.isShowing() && h != null) {
                show(h);
            }
        });
        stage.setOnHidden(e -> heat = null);
    }

    /** Shows the selected channel, now or as soon as its heatmap is computed. */
    void open() {
        LayerViewModel.Heat h = vm.layer().heatProperty().get();
        if (h != null && h.channel() == vm.layer().selectedChannelProperty().get()) {
            show(h);
        }
        if (!stage.isShowing()) {
            stage.show();
        }
    }

    private void show(LayerViewModel.Heat h) {
        heat = h;
        heatImage = FxImages.fromRgb(h.rgb());
        LayerData d = h.data();
        stage.setTitle(h.path() + " — channel " + h.channel() + " of " + d.channels + String.format(Locale.ROOT,
                "  [min %.4g, max %.4g]", d.channelMin(h.channel()), d.channelMax(h.channel())));
        Model m = vm.modelProperty().get();
        how.setText(m == null ? "" : "as the network sees it: " + m.spec().input().describe());
        draw();
    }

    private void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setFill(Color.BLACK);
        g.fillRect(0, 0, SIZE, SIZE);
        if (heatImage == null) {
            return;
        }
        Image pic = vm.pictureProperty().get();
        LoadedImage img = vm.imageProperty().get();
        Model m = vm.modelProperty().get();
        boolean over = overlay.isSelected() && pic != null && img != null && m != null;
        if (over) {
            // the image fills 1/factor of the square: all of it when stretched, the top-left part when padded
            double[] f = m.spec().input().factors(img.width(), img.height());
            g.drawImage(pic, 0, 0, SIZE / f[0], SIZE / f[1]);
        }
        g.setImageSmoothing(false);
        g.setGlobalAlpha(over ? opacity.getValue() : 1);
        g.drawImage(heatImage, 0, 0, SIZE, SIZE);
        g.setGlobalAlpha(1);
        g.setImageSmoothing(true);
    }

    boolean isShowing() {
        return stage.isShowing();
    }
}

package org.layerlens.viewer;

import java.util.Locale;

import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.image.Heatmaps;

/** One channel, large: the value under the cursor, optionally over the input image. */
final class ChannelWindow {
    private static final int SIZE = 480;
    private final Stage stage = new Stage();
    private final ImageView base = new ImageView();
    private final ImageView heat = new ImageView();
    private final Label value = new Label(" ");
    private final CheckBox overlay = new CheckBox("Overlay on input image");
    private final Slider opacity = new Slider(0, 1, 0.6);
    private LayerData data;
    private int channel;

    ChannelWindow(Window owner) {
        stage.initOwner(owner);
        for (ImageView v : new ImageView[] {base, heat}) {
            v.setFitWidth(SIZE);
            v.setFitHeight(SIZE);
            v.setPreserveRatio(false);
            v.setSmooth(false);
        }
        heat.opacityProperty().bind(javafx.beans.binding.Bindings.when(overlay.selectedProperty())
                .then(opacity.valueProperty()).otherwise(1.0));
        base.visibleProperty().bind(overlay.selectedProperty());
        opacity.disableProperty().bind(overlay.selectedProperty().not());
        StackPane pics = new StackPane(base, heat);
        pics.setId("channelPicture");
        pics.setOnMouseMoved(e -> {
            if (data == null) {
                return;
            }
            int x = (int) Math.min(data.width - 1, Math.max(0, e.getX() / SIZE * data.width));
            int y = (int) Math.min(data.height - 1, Math.max(0, e.getY() / SIZE * data.height));
            value.setText(String.format(Locale.ROOT, "(x %d, y %d) = %.5f", x, y, data.value(channel, y, x)));
        });
        HBox row = new HBox(10, overlay, new Label("opacity"), opacity);
        javafx.scene.layout.VBox controls = new javafx.scene.layout.VBox(4, row,
                new Label("as the network sees it: 300x300, stretched"), value);
        controls.setPadding(new Insets(6));
        BorderPane root = new BorderPane(pics, null, null, controls, null);
        stage.setScene(new Scene(root));
    }

    void show(LayerData d, int c, Heatmaps.ColorMap cm, Heatmaps.Normalise norm, Image input) {
        this.data = d;
        this.channel = c;
        heat.setImage(FxImages.fromRgb(Heatmaps.rgb(d, c, cm, norm, d.width, d.height), d.width, d.height));
        base.setImage(input);
        stage.setTitle(d.path + " — channel " + c + " of " + d.channels + String.format(Locale.ROOT,
                "  [min %.4g, max %.4g]", d.channelMin(c), d.channelMax(c)));
        if (!stage.isShowing()) {
            stage.show();
        }
    }

    boolean isShowing() {
        return stage.isShowing();
    }
}

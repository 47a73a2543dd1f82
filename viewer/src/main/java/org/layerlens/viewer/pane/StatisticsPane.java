package org.layerlens.viewer.pane;

import java.util.Locale;

import javafx.geometry.Insets;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import org.layerlens.engine.api.LayerData;
import org.layerlens.viewer.LayerViewModel;

/** Statistics of the selected module's output (computed with its data, on a worker) and a log-count histogram. */
public final class StatisticsPane extends VBox {
    private final Label text = new Label();
    private final Canvas histogram = new Canvas(300, 70);

    public StatisticsPane(LayerViewModel layer) {
        super(4);
        setPadding(new Insets(0, 6, 6, 6));
        text.setId("stats");
        text.setFont(Font.font("Monospaced", 11));
        text.setWrapText(true);
        text.setMinHeight(Region.USE_PREF_SIZE);
        getChildren().addAll(text, histogram);
        layer.layerProperty().addListener((o, a, r) -> show(r));
    }

    private void show(LayerViewModel.LayerResult r) {
        GraphicsContext g = histogram.getGraphicsContext2D();
        g.clearRect(0, 0, histogram.getWidth(), histogram.getHeight());
        if (r == null || r.data() == null) {
            text.setText("");
            return;
        }
        LayerData.Stats s = r.stats();
        text.setText(String.format(Locale.ROOT,
                "min %.4g  max %.4g  mean %.4g  std %.4g%nzeros %.1f%%  at ReLU6 ceiling (6.0) %.1f%%  values %,d",
                s.min(), s.max(), s.mean(), s.std(), 100 * s.zeroFraction(), 100 * s.ceilingFraction(), s.count()));
        long[] h = r.histogram();
        long max = 1;
        for (long v : h) {
            max = Math.max(max, v);
        }
        double w = histogram.getWidth();
        double ht = histogram.getHeight();
        g.setFill(Color.web("#4363d8"));
        double bw = w / h.length;
        for (int i = 0; i < h.length; i++) {
            double bh = (ht - 12) * Math.log1p(h[i]) / Math.log1p(max);
            g.fillRect(i * bw, ht - 12 - bh, Math.max(1, bw - 1), bh);
        }
        g.setFill(Color.GRAY);
        g.setFont(Font.font(9));
        g.fillText(String.format(Locale.ROOT, "%.3g", s.min()), 0, ht - 1);
        String right = String.format(Locale.ROOT, "%.3g  (log count)", s.max());
        javafx.scene.text.Text m = new javafx.scene.text.Text(right);
        m.setFont(Font.font(9));
        g.fillText(right, w - m.getLayoutBounds().getWidth() - 2, ht - 1);
    }
}

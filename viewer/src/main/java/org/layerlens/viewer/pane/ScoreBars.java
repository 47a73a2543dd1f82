package org.layerlens.viewer.pane;

import java.util.List;
import java.util.Locale;

import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

/**
 * Every class's score at one anchor as a small horizontal bar chart, classes in the model's
 * order (so bars stay in place from one detection to the next), the class of interest in its
 * colour and bold, the others grey. One canvas drawn in one go: cheap enough to redraw on every
 * selection.
 */
public final class ScoreBars extends Region {
    static final double ROW = 15;
    private static final Font FONT = Font.font(11);
    private static final Font BOLD = Font.font(null, javafx.scene.text.FontWeight.BOLD, 11);
    private final Canvas canvas = new Canvas();
    private List<String> labels = List.of();
    private float[] scores = new float[0];
    private int highlight = -1;

    public ScoreBars() {
        getChildren().add(canvas);
        setMinHeight(ROW);
    }

    /** Shows {@code scores[k]} for {@code labels.get(k)}; {@code highlight} is drawn in its class colour. */
    public void show(List<String> labels, float[] scores, int highlight) {
        this.labels = labels;
        this.scores = scores;
        this.highlight = highlight;
        setPrefHeight(scores.length * ROW + 2);
        setMinHeight(scores.length * ROW + 2);
        draw();
    }

    /** The scores shown (tests). */
    public float[] scores() {
        return scores;
    }

    @Override
    protected void layoutChildren() {
        if (canvas.getWidth() != getWidth() || canvas.getHeight() != getHeight()) {
            canvas.setWidth(getWidth());
            canvas.setHeight(getHeight());
            draw();
        }
    }

    @Override
    protected double computePrefWidth(double height) {
        return 260;
    }

    private void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        g.clearRect(0, 0, w, canvas.getHeight());
        if (w <= 0) {
            return;
        }
        double nameW = 0;
        Text measure = new Text();
        measure.setFont(BOLD);
        for (String l : labels) {
            measure.setText(l);
            nameW = Math.max(nameW, measure.getLayoutBounds().getWidth());
        }
        nameW = Math.min(nameW + 6, w * 0.4);
        double valueW = 40;
        double barW = Math.max(10, w - nameW - valueW - 4);
        g.setTextBaseline(VPos.CENTER);
        for (int k = 0; k < scores.length; k++) {
            double y = k * ROW;
            boolean hi = k == highlight;
            String name = k < labels.size() ? labels.get(k) : Integer.toString(k);
            g.setFont(hi ? BOLD : FONT);
            g.setFill(Color.web("#333333"));
            g.setTextAlign(TextAlignment.RIGHT);
            g.fillText(name, nameW - 4, y + ROW / 2, nameW - 4);
            g.setFill(Color.web("#eeeeee"));
            g.fillRect(nameW, y + 2, barW, ROW - 4);
            g.setFill(hi ? DetectionBoxes.colour(k) : Color.web("#8a8a8a"));
            g.fillRect(nameW, y + 2, barW * Math.max(0, Math.min(1, scores[k])), ROW - 4);
            g.setFill(Color.web("#333333"));
            g.setTextAlign(TextAlignment.LEFT);
            g.fillText(String.format(Locale.ROOT, "%.3f", scores[k]), nameW + barW + 4, y + ROW / 2);
        }
    }
}

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
import org.layerlens.engine.api.ClassScores;

/**
 * Every object class's score at one anchor as a small horizontal bar chart, classes in the model's
 * order (so bars stay in place from one detection to the next), the class of interest in its
 * colour and bold, the others grey; then, below a rule, the background's score in italics, named
 * "background" whatever the labels file calls it ({@code BACKGROUND}, {@code ???}): it is not a
 * class that can be detected ({@link ClassScores}). One canvas drawn in one go: cheap enough to
 * redraw on every selection.
 */
public final class ScoreBars extends Region {
    static final double ROW = 15;
    private static final Font FONT = Font.font(11);
    private static final Font BOLD = Font.font(null, javafx.scene.text.FontWeight.BOLD, 11);
    private static final Font ITALIC = Font.font(null, javafx.scene.text.FontPosture.ITALIC, 11);
    private final Canvas canvas = new Canvas();
    private List<String> labels = List.of();
    private float[] scores = new float[0];
    private int[] classIds = new int[0];
    private int highlight = -1;
    private boolean background;

    public ScoreBars() {
        getChildren().add(canvas);
        setMinHeight(ROW);
    }

    /**
     * Shows the object classes' scores (model order) and, last, the background's;
     * {@code highlightClass} (a class index) is drawn in its class colour.
     */
    public void show(ClassScores s, int highlightClass) {
        int n = s.classes().size();
        List<String> names = new java.util.ArrayList<>();
        this.scores = new float[n + 1];
        this.classIds = new int[n + 1];
        for (int k = 0; k < n; k++) {
            ClassScores.Entry e = s.classes().get(k);
            names.add(e.label());
            scores[k] = e.score();
            classIds[k] = e.classId();
        }
        names.add("background");
        scores[n] = s.background();
        classIds[n] = ClassScores.BACKGROUND;
        this.labels = names;
        this.highlight = highlightClass;
        this.background = true;
        javafx.scene.control.Tooltip.install(this, new javafx.scene.control.Tooltip("The last bar, background, is "
                + "the model's score for no object at this anchor: " + ClassScores.BACKGROUND_NOTE + "."));
        resize();
    }

    /** Shows nothing. */
    public void clear() {
        this.labels = List.of();
        this.scores = new float[0];
        this.classIds = new int[0];
        this.highlight = -1;
        this.background = false;
        resize();
    }

    private void resize() {
        setPrefHeight(scores.length * ROW + 2);
        setMinHeight(scores.length * ROW + 2);
        draw();
    }

    /** The scores shown, in the bars' order: the object classes, then the background (tests). */
    public float[] scores() {
        return scores;
    }

    /** The names shown, in the bars' order (tests). */
    public List<String> labels() {
        return labels;
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
            boolean bg = background && k == scores.length - 1;
            boolean hi = !bg && classIds[k] == highlight;
            String name = k < labels.size() ? labels.get(k) : Integer.toString(classIds[k]);
            g.setFont(hi ? BOLD : bg ? ITALIC : FONT);
            g.setFill(Color.web(bg ? "#777777" : "#333333"));
            g.setTextAlign(TextAlignment.RIGHT);
            g.fillText(name, nameW - 4, y + ROW / 2, nameW - 4);
            g.setFill(Color.web("#eeeeee"));
            g.fillRect(nameW, y + 2, barW, ROW - 4);
            g.setFill(hi ? DetectionBoxes.colour(classIds[k]) : Color.web(bg ? "#c8c8c8" : "#8a8a8a"));
            g.fillRect(nameW, y + 2, barW * Math.max(0, Math.min(1, scores[k])), ROW - 4);
            g.setFill(Color.web(bg ? "#777777" : "#333333"));
            g.setTextAlign(TextAlignment.LEFT);
            g.fillText(String.format(Locale.ROOT, "%.3f", scores[k]), nameW + barW + 4, y + ROW / 2);
            if (bg) {
                g.setStroke(Color.web("#bbbbbb"));
                g.strokeLine(0, y + 0.5, w, y + 0.5);
            }
        }
    }
}

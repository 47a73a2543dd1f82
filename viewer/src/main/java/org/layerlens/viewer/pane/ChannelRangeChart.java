package org.layerlens.viewer.pane;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import org.layerlens.engine.analysis.ChannelStats;
import org.layerlens.engine.analysis.ModuleStats;
import org.layerlens.viewer.InspectorViewModel;

/**
 * The selected module's per-channel ranges over the dataset: one vertical bar per channel from
 * its minimum to its maximum, a tick at +-(99.9th percentile of |x|) where that lies inside the
 * bar (what a p999 calibration clips to), dead channels red, saturated ones purple, the selected
 * channel on an orange band. Hovering names a channel's figures; a click selects it. Drawn on a
 * canvas: a module has up to 1,280 channels, one bar each.
 */
public final class ChannelRangeChart extends VBox {
    static final Color BAR = Color.web("#4363d8");
    static final Color DEAD = Color.web("#e00000");
    static final Color SATURATED = Color.web("#911eb4");
    static final Color P999 = Color.web("#f58231");
    private static final double LEFT = 52;
    private static final double RIGHT = 8;
    private static final double TOP = 8;
    private static final double BOTTOM = 26;
    private final InspectorViewModel vm;
    private final Canvas canvas = new Canvas();
    private final Label readout = new Label(" ");
    private ModuleStats stats;
    private Set<Integer> dead = Set.of();
    private Set<Integer> saturated = Set.of();
    private double lo;
    private double hi;

    public ChannelRangeChart(InspectorViewModel vm) {
        super(2);
        this.vm = vm;
        setId("channelRangeChart");
        Pane holder = new Pane(canvas);
        holder.setMinHeight(120);
        holder.setPrefHeight(170);
        VBox.setVgrow(holder, javafx.scene.layout.Priority.ALWAYS);
        canvas.widthProperty().bind(holder.widthProperty());
        canvas.heightProperty().bind(holder.heightProperty());
        canvas.widthProperty().addListener(o -> draw());
        canvas.heightProperty().addListener(o -> draw());
        readout.setId("channelRangeReadout");
        readout.setFont(Font.font("Monospaced", 11));
        readout.setWrapText(true);
        readout.setMinHeight(Region.USE_PREF_SIZE);
        Label legend = new Label("bar: min..max of each channel over the folder · tick: ±p99.9 of |x| · "
                + "red ▲: dead · purple ▲: saturated · click: select the channel");
        legend.setWrapText(true);
        legend.setMinHeight(Region.USE_PREF_SIZE);
        legend.setFont(Font.font(11));
        getChildren().addAll(holder, legend, readout);
        canvas.setOnMouseMoved(e -> {
            int c = channelAt(e.getX());
            readout.setText(c < 0 ? " " : describe(c));
        });
        canvas.setOnMouseExited(e -> readout.setText(" "));
        canvas.setOnMouseClicked(e -> {
            int c = channelAt(e.getX());
            if (c >= 0) {
                vm.layer().selectChannel(c);
            }
        });
        vm.datasetStats().selectedProperty().addListener((o, a, s) -> show(s));
        vm.layer().selectedChannelProperty().addListener((o, a, c) -> draw());
    }

    /** The channel under canvas x, or -1. */
    int channelAt(double x) {
        if (stats == null) {
            return -1;
        }
        int n = stats.channels().size();
        int c = (int) Math.floor((x - LEFT) / plotWidth() * n);
        return c >= 0 && c < n ? c : -1;
    }

    /** The canvas x of channel {@code c}'s bar (tests). */
    double xOf(int c) {
        return LEFT + (c + 0.5) * plotWidth() / stats.channels().size();
    }

    public Canvas canvas() {
        return canvas;
    }

    private double plotWidth() {
        return Math.max(1, canvas.getWidth() - LEFT - RIGHT);
    }

    private String describe(int c) {
        ChannelStats s = stats.channels().get(c);
        String state = dead.contains(c) ? " · dead" : saturated.contains(c) ? " · saturated" : "";
        return String.format(Locale.ROOT, "#%d  min %.4g  max %.4g  mean %.4g  std %.4g  p99.9|x| %.4g  zeros %.1f%%%s",
                c, s.min(), s.max(), s.mean(), s.std(), s.p999(), 100 * s.zeros(), state);
    }

    private void show(ModuleStats s) {
        stats = s;
        dead = s == null ? Set.of() : set(s.dead());
        saturated = s == null ? Set.of() : set(s.saturated());
        if (s != null) {
            lo = 0;
            hi = 0;
            for (ChannelStats c : s.channels()) {
                lo = Math.min(lo, c.min());
                hi = Math.max(hi, c.max());
            }
            if (hi <= lo) {
                hi = lo + 1;
            }
        }
        readout.setText(" ");
        draw();
    }

    private static Set<Integer> set(int[] v) {
        Set<Integer> out = new HashSet<>();
        for (int x : v) {
            out.add(x);
        }
        return out;
    }

    private double y(double v) {
        double h = canvas.getHeight() - TOP - BOTTOM;
        return TOP + (hi - v) / (hi - lo) * h;
    }

    private void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        g.clearRect(0, 0, w, h);
        g.setFont(Font.font(10));
        if (stats == null) {
            g.setFill(Color.GRAY);
            g.fillText("Run the statistics and select a module to see its channels' ranges", 8, 20);
            return;
        }
        List<ChannelStats> ch = stats.channels();
        int n = ch.size();
        double step = plotWidth() / n;
        int sel = vm.layer().selectedChannelProperty().get();
        if (sel >= 0 && sel < n) {
            g.setFill(Color.web("#ffcc80"));
            g.fillRect(LEFT + sel * step, TOP, Math.max(2, step), h - TOP - BOTTOM);
        }
        g.setStroke(Color.web("#bbbbbb"));
        g.setLineWidth(1);
        g.strokeLine(LEFT, y(0), w - RIGHT, y(0));
        double line = Math.max(1, Math.min(6, step * 0.7));
        for (int c = 0; c < n; c++) {
            ChannelStats s = ch.get(c);
            double x = LEFT + (c + 0.5) * step;
            g.setStroke(dead.contains(c) ? DEAD : saturated.contains(c) ? SATURATED : BAR);
            g.setLineWidth(line);
            double top = y(s.max());
            double bottom = y(s.min());
            // a channel of one value (dead: 0 everywhere) still gets a visible mark
            g.strokeLine(x, top - (bottom - top < 2 ? 1.5 : 0), x, bottom + (bottom - top < 2 ? 1.5 : 0));
            if (!dead.contains(c)) {
                g.setStroke(P999);
                g.setLineWidth(1.5);
                double half = Math.max(2, step * 0.45);
                if (s.p999() <= s.max()) {
                    g.strokeLine(x - half, y(s.p999()), x + half, y(s.p999()));
                }
                if (-s.p999() >= s.min()) {
                    g.strokeLine(x - half, y(-s.p999()), x + half, y(-s.p999()));
                }
            }
        }
        // dead and saturated channels also get a mark under the plot: a bar of one value is hard to see
        for (int c = 0; c < n; c++) {
            if (dead.contains(c) || saturated.contains(c)) {
                double x = LEFT + (c + 0.5) * step;
                double base = h - BOTTOM + 3;
                g.setFill(dead.contains(c) ? DEAD : SATURATED);
                g.fillPolygon(new double[] {x - 3, x + 3, x}, new double[] {base + 6, base + 6, base}, 3);
            }
        }
        g.setFill(Color.web("#444444"));
        label(g, String.format(Locale.ROOT, "%.3g", hi), y(hi) + 4);
        label(g, String.format(Locale.ROOT, "%.3g", lo), y(lo));
        if (y(0) - y(hi) > 14 && y(lo) - y(0) > 14) {
            label(g, "0", y(0) + 4);
        }
        g.fillText("0", LEFT, h - 2);
        String last = "channel " + (n - 1);
        g.fillText(last, w - RIGHT - width(last), h - 2);
    }

    private static void label(GraphicsContext g, String s, double y) {
        g.fillText(s, LEFT - 4 - width(s), y);
    }

    private static double width(String s) {
        Text t = new Text(s);
        t.setFont(Font.font(10));
        return t.getLayoutBounds().getWidth();
    }
}

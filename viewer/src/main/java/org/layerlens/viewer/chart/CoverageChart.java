package org.layerlens.viewer.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.layerlens.engine.explain.AnchorCoverage;

/**
 * The anchor-coverage chart: one point per ground-truth box, its size in network-input pixels
 * (log scale) against the best IoU any prior reaches, coloured by class; a line at the match
 * threshold and, per head, a mark at its smallest prior. JFreeChart on AWT only (no JavaFX), so
 * the CLI renders it headless and the window shows the same picture ({@link #render}).
 */
public final class CoverageChart {
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    private CoverageChart() {
    }

    public static JFreeChart chart(AnchorCoverage.Result r) {
        Map<String, XYSeries> byLabel = new java.util.TreeMap<>(); // by name: the same colours in every chart
        double minSize = Double.POSITIVE_INFINITY;
        double maxSize = 0;
        for (AnchorCoverage.Entry e : r.entries()) {
            byLabel.computeIfAbsent(e.label(), l -> new XYSeries(l, false, true)).add(e.size(), e.bestIou());
            minSize = Math.min(minSize, e.size());
            maxSize = Math.max(maxSize, e.size());
        }
        for (double s : r.headSides()) {
            minSize = Math.min(minSize, s);
            maxSize = Math.max(maxSize, s);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        byLabel.values().forEach(data::addSeries);

        LogAxis x = new LogAxis("object size sqrt(w*h), network-input pixels (" + r.inputSize() + "x"
                + r.inputSize() + ")");
        x.setBase(2);
        x.setSmallestValue(1);
        x.setRange(Math.max(1, minSize / 1.25), maxSize * 1.25);
        x.setNumberFormatOverride(new java.text.DecimalFormat("0"));
        x.setTickUnit(new NumberTickUnit(1)); // powers of two
        NumberAxis y = new NumberAxis("best IoU of any prior");
        y.setRange(0, 1.0);
        y.setTickUnit(new NumberTickUnit(0.1));

        XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            Color c = PALETTE[i % PALETTE.length];
            dots.setSeriesPaint(i, new Color(c.getRed(), c.getGreen(), c.getBlue(), 170));
            dots.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
        }
        XYPlot plot = new XYPlot(data, x, y, dots);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));

        ValueMarker threshold = new ValueMarker(r.matchThreshold(), new Color(0xc00000),
                new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {6, 4}, 0));
        threshold.setLabel(String.format(Locale.ROOT, "match threshold %.2f", r.matchThreshold()));
        threshold.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        threshold.setLabelPaint(new Color(0xc00000));
        threshold.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        threshold.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        plot.addRangeMarker(threshold, Layer.FOREGROUND);
        List<Double> sides = r.headSides();
        for (int h = 0; h < sides.size(); h++) {
            ValueMarker m = new ValueMarker(sides.get(h), new Color(0x888888), new BasicStroke(1f));
            m.setLabel("head " + h);
            m.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            m.setLabelPaint(new Color(0x555555));
            // alternate top and bottom: the last heads' priors are close together on a log axis
            m.setLabelAnchor(h % 2 == 0 ? RectangleAnchor.BOTTOM_RIGHT : RectangleAnchor.TOP_RIGHT);
            m.setLabelTextAnchor(h % 2 == 0 ? TextAnchor.BOTTOM_LEFT : TextAnchor.TOP_LEFT);
            plot.addDomainMarker(m, Layer.BACKGROUND);
        }

        JFreeChart chart = new JFreeChart(null, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(new TextTitle(String.format(Locale.ROOT, "%s on %s: %d of %d boxes (%.1f%%) have a prior "
                + "at IoU >= %.2f; grey lines: each head's smallest prior", r.model(), shortName(r.dataset()),
                r.matched(), r.entries().size(), 100 * r.share(), r.matchThreshold()),
                new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        chart.setTitle(new TextTitle("Anchor coverage: best prior IoU against object size",
                new Font(Font.SANS_SERIF, Font.BOLD, 15)));
        return chart;
    }

    private static String shortName(String dataset) {
        Path p = Path.of(dataset);
        return p.getFileName() == null ? dataset : p.getFileName().toString();
    }

    /** The chart as an image ({@code TYPE_INT_RGB}). */
    public static BufferedImage render(AnchorCoverage.Result r, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            chart(r).draw(g, new java.awt.geom.Rectangle2D.Double(0, 0, width, height));
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Writes the chart as PNG. */
    public static void writePng(AnchorCoverage.Result r, Path file, int width, int height) throws IOException {
        if (!ImageIO.write(render(r, width, height), "png", file.toFile())) {
            throw new IOException(file + ": no PNG writer");
        }
    }
}

package org.layerlens.app.cli;

import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.layerlens.engine.api.Model;
import org.layerlens.engine.explain.AnchorCoverage;
import org.layerlens.engine.image.ImageFolder;
import org.layerlens.engine.io.AtomicFiles;
import org.layerlens.viewer.chart.CoverageChart;

/**
 * {@code anchors}: how well the model's priors cover a dataset's objects. For every ground-truth
 * box of a folder of Pascal VOC .xml files, the best IoU any prior reaches; the share at or above
 * the model's training match threshold, by object size and aspect ratio in network-input pixels;
 * optionally the chart (PNG) and every box (JSON).
 */
final class AnchorsCommand implements Command {
    static final int CHART_WIDTH = 1000;
    static final int CHART_HEIGHT = 620;

    @Override
    public String name() {
        return "anchors";
    }

    @Override
    public String usage() {
        return "anchors  --model M [--labels L] --dataset DIR [--chart OUT.png] [--json OUT]   prior IoU of every VOC box";
    }

    @Override
    public Set<String> options() {
        return Set.of("model", "labels", "dataset", "chart", "json");
    }

    @Override
    public int run(Args a, Context c) throws Exception {
        String dir = a.require("dataset");
        String chart = a.get("chart");
        if (chart != null && !ImageFolder.extension(Paths.get(chart)).equals("png")) {
            throw new Args.UsageException("--chart needs a file name ending in .png (the chart is written as PNG), not '"
                    + chart + "'");
        }
        Model m = c.model(a);
        AnchorCoverage.Result r = AnchorCoverage.read(m, Paths.get(dir),
                w -> c.err.println("layerlens: warning: " + w), null, null);
        String json = a.get("json");
        boolean quiet = "-".equals(json);
        if (!quiet) {
            print(c, r);
        }
        if (json != null) {
            String text = org.layerlens.engine.io.JsonText.of(r.toJson(), true);
            if (quiet) {
                c.out.println(text);
            } else {
                AtomicFiles.writeString(Paths.get(json), text + "\n");
            }
        }
        if (chart != null) {
            AtomicFiles.write(Paths.get(chart), tmp -> CoverageChart.writePng(r, tmp, CHART_WIDTH, CHART_HEIGHT));
            if (!quiet) {
                c.out.println("wrote " + a.get("chart"));
            }
        }
        if (!r.skipped().isEmpty()) {
            c.err.printf(Locale.ROOT, "layerlens: %d of %d annotation file(s) skipped%n", r.skipped().size(),
                    r.files() + r.skipped().size());
        }
        if (!r.skippedBoxes().isEmpty()) {
            c.err.printf(Locale.ROOT, "layerlens: %d box warning(s) above: those boxes left out, the rest of their "
                    + "files measured%n", r.skippedBoxes().size());
        }
        return 0;
    }

    private static void print(Context c, AnchorCoverage.Result r) {
        c.out.printf(Locale.ROOT, "%s on %s: %d boxes in %d files; network input %dx%d, match threshold %.2f%n",
                r.model(), r.dataset(), r.entries().size(), r.files(), r.inputSize(), r.inputSize(),
                r.matchThreshold());
        c.out.printf(Locale.ROOT, "boxes with a prior at IoU >= %.2f: %d of %d (%.1f%%)%n", r.matchThreshold(),
                r.matched(), r.entries().size(), 100 * r.share());
        table(c, "size sqrt(w*h), px", r.bySize());
        table(c, "aspect w/h", r.byAspect());
    }

    private static void table(Context c, String title, List<AnchorCoverage.Bin> bins) {
        c.out.printf(Locale.ROOT, "%-20s %6s %8s %8s %10s%n", title, "boxes", "matched", "share", "mean IoU");
        for (AnchorCoverage.Bin b : bins) {
            if (b.boxes() == 0) {
                c.out.printf(Locale.ROOT, "%-20s %6d %8s %8s %10s%n", b.name(), 0, "-", "-", "-");
            } else {
                c.out.printf(Locale.ROOT, "%-20s %6d %8d %7.1f%% %10.3f%n", b.name(), b.boxes(), b.matched(),
                        100 * b.share(), b.meanBestIou());
            }
        }
    }
}

package org.layerlens.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.layerlens.engine.analysis.ChannelStats;
import org.layerlens.engine.analysis.DatasetStats;
import org.layerlens.engine.analysis.ModuleStats;
import org.layerlens.engine.analysis.Statistics;
import org.layerlens.engine.analysis.StatsJson;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.exec.Nd4jRuntime;
import org.layerlens.engine.image.ImageFolder;
import org.layerlens.engine.io.AtomicFiles;

/**
 * {@code stats}: every module output and channel over a folder of images (streaming), dead and
 * always-saturated channels, JSON and CSV. Images run on {@code --threads} workers, each pass on
 * one engine thread; a progress line is redrawn on the terminal.
 */
final class StatsCommand implements Command {
    @Override
    public String name() {
        return "stats";
    }

    @Override
    public String usage() {
        return "stats    --model M --dataset DIR [--json OUT] [--csv OUT]   per module and channel over a folder: "
                + "min, max, mean, std,\n                 zeros, at ReLU6's ceiling, p99.9/p99.99 of |x|; dead and "
                + "saturated channels";
    }

    @Override
    public Set<String> options() {
        return Set.of("model", "labels", "dataset", "json", "csv");
    }

    @Override
    public int run(Args a, Context c) throws Exception {
        if ("-".equals(a.get("json")) && "-".equals(a.get("csv"))) {
            throw new Args.UsageException("stats: standard output (-) takes --json or --csv, not both");
        }
        ImageFolder folder = ImageFolder.list(Paths.get(a.require("dataset")));
        List<Path> images = folder.nonEmpty("files to read");
        if (folder.subfoldersNotRead() != null) {
            c.err.println("layerlens: warning: " + folder.subfoldersNotRead());
        }
        Model m = c.model(a);
        int workers = Nd4jRuntime.threads();
        // the workers share the cores: each pass runs on one engine thread
        Nd4jRuntime.setThreads(1);
        ProgressLine line = new ProgressLine(c.err);
        long t0 = System.nanoTime();
        DatasetStats s;
        try {
            s = Statistics.run(m, images, workers, line, w -> line.warn("layerlens: warning: " + w), null);
        } finally {
            Nd4jRuntime.setThreads(workers);
            line.finish();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (s.images() == 0) {
            throw new IOException(folder.folder() + ": none of its " + images.size() + " file(s) is a readable image");
        }
        // "-" puts that file on standard output, alone: the summary goes to standard error
        boolean jsonOut = "-".equals(a.get("json"));
        boolean csvOut = "-".equals(a.get("csv"));
        if (a.get("json") != null && !jsonOut) {
            AtomicFiles.writeString(Paths.get(a.get("json")), StatsJson.write(s));
        }
        if (a.get("csv") != null && !csvOut) {
            AtomicFiles.writeString(Paths.get(a.get("csv")), csv(s));
        }
        PrintStream out = jsonOut || csvOut ? c.err : c.out;
        out.printf(Locale.ROOT, "%s: %d image(s), %d skipped, %d modules, %.1f s (%.2f images/s on %d worker(s))%n",
                m.name(), s.images(), s.skipped().size(), s.modules().size(), secs, s.images() / secs, workers);
        int deadTotal = 0;
        // as wide as the longest path listed (TFLite scope paths run to 60 characters)
        int pathWidth = Math.max(28, s.modules().stream().filter(x -> x.dead().length > 0 || x.saturated().length > 0)
                .mapToInt(x -> x.path().length()).max().orElse(0));
        for (ModuleStats ms : s.modules()) {
            if (ms.dead().length > 0 || ms.saturated().length > 0) {
                out.printf(Locale.ROOT, "  %-" + pathWidth + "s %-12s dead %s%s%n", ms.path(), ms.type(), list(ms.dead()),
                        ms.saturated().length > 0 ? "  saturated " + list(ms.saturated()) : "");
                deadTotal += ms.dead().length;
            }
        }
        if (deadTotal == 0) {
            out.println("  no dead channels");
        }
        if (jsonOut) {
            c.out.print(StatsJson.write(s));
        } else if (csvOut) {
            c.out.print(csv(s));
        }
        return 0;
    }

    private static String list(int[] v) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < v.length && i < 16; i++) {
            s.add(Integer.toString(v[i]));
        }
        return "[" + String.join(", ", s) + (v.length > 16 ? ", ... (" + v.length + ")" : "") + "]";
    }

    /** One row per module and channel. */
    static String csv(DatasetStats s) {
        StringBuilder b = new StringBuilder("path,type,channel,min,max,mean,std,zeros,atCeiling,p999,p9999,dead,saturated\n");
        for (ModuleStats m : s.modules()) {
            Set<Integer> dead = new java.util.HashSet<>();
            for (int d : m.dead()) {
                dead.add(d);
            }
            Set<Integer> sat = new java.util.HashSet<>();
            for (int d : m.saturated()) {
                sat.add(d);
            }
            for (int i = 0; i < m.channels().size(); i++) {
                ChannelStats ch = m.channels().get(i);
                b.append(String.format(Locale.ROOT, "%s,%s,%d,%s,%s,%s,%s,%s,%s,%s,%s,%b,%b%n", m.path(), m.type(), i,
                        ch.min(), ch.max(), ch.mean(), ch.std(), ch.zeros(), ch.atCeiling(), ch.p999(), ch.p9999(),
                        dead.contains(i), sat.contains(i)));
            }
        }
        return b.toString();
    }
}

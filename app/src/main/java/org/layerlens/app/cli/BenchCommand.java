package org.layerlens.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

import org.layerlens.app.ModelRef;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.exec.Nd4jRuntime;
import org.layerlens.engine.image.LoadedImage;

/**
 * {@code bench}: network passes only (preprocessing left out, as PyTorch's bench), fast and
 * inspect interleaved, median / min / p90 in ms, and resident memory before and after. A
 * benchmark, not a test: compare ratios within one run (scripts/bench.sh, bench/).
 */
final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String usage() {
        return "bench    --model M [--image I] [--iterations N] [--warmup W] [--mode fast|inspect|both|explain|compare]   ms, memory";
    }

    @Override
    public Set<String> options() {
        return Set.of("model", "labels", "image", "iterations", "warmup", "mode");
    }

    @Override
    public int run(Args a, Context c) throws Exception {
        String mode = a.get("mode", "both");
        if (!Set.of("both", "fast", "inspect", "explain", "compare").contains(mode)) {
            throw new Args.UsageException("bench: --mode is fast, inspect, both, explain or compare");
        }
        int n = a.getInt("iterations", 50, 1);
        int warm = a.getInt("warmup", 10, 0);
        Model m = c.model(a);
        LoadedImage img = c.read(a.get("image") != null ? Paths.get(a.get("image")) : ModelRef.defaultImageOrFail());
        boolean fast = !mode.equals("inspect");
        boolean inspect = !mode.equals("fast");
        float[] x = m.input(img);
        if (mode.equals("explain")) {
            ExplainBench.run(c, m, img, x, n, warm);
            return 0;
        }
        if (mode.equals("compare")) {
            return compare(m, img, n, warm, c);
        }
        // warm-up: the JIT, the pooled buffers, and the Java heap's young generation, which the
        // collector fills once before its resident size stops growing (that is not retention)
        long gc0 = collections();
        int warmed = 0;
        int most = 10 * warm + 200;
        while (warmed < warm || collections() - gc0 < 3 && warmed < most) {
            pass(m, x, img, fast, inspect);
            warmed++;
        }
        // Pages of the Java heap, once touched, stay resident. After the full collection that
        // every measuring point takes, the collector sizes its young generation anew (80-96 MB
        // here), partly over heap it had not touched yet, and its first filling grew resident
        // size by as much (measured: +84 MB over 300 passes, none of it retained; with
        // -XX:+AlwaysPreTouch, every page touched at start, it did not). So the warm-up ends with
        // that first filling: passes after a full collection until the next young one.
        Memory.settled();
        long afterFull = collections();
        while (collections() == afterFull && warmed < most) {
            pass(m, x, img, fast, inspect);
            warmed++;
        }
        boolean filled = collections() > afterFull;
        // G1 then goes on placing its young regions over committed heap it had not touched yet for
        // a few thousand passes more (the heap's resident pages 134 -> 158 MB from pass 500 to 2,000
        // with the committed size flat at 188 MB and the live heap at 50 MB, then flat to 3,000):
        // resident growth that no object and no native allocation holds. A warm-up waiting for it
        // did not work (the full collections its checks take keep the collector on the pages it
        // has); the growth lines below tell it apart instead (HeapPages). How far it climbs follows
        // the committed heap, which G1 sizes from the live heap: with the folded weights no longer
        // held twice on the heap (exec.Compiled), live 26 MB, committed 108-120 MB, +9 to +15 MB
        // over 1,000 + 1,000 passes of the default model.
        Memory at0 = Memory.settled();
        // Growth is also read over the last nine tenths of the run, from a point taken (outside
        // any timed pass) at one tenth: before the warm-up ended with the young generation's
        // first filling, resident size climbed for a few hundred passes after it, to the same
        // level whatever the run's length (+93 MB after 300 fast passes, +93 after 3,000).
        int tenth = n / 10;
        Memory atTenth = at0;
        double[] f = new double[n];
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            if (i == tenth && tenth > 0) {
                atTenth = Memory.settled();
            }
            double[] t = pass(m, x, img, fast, inspect);
            f[i] = t[0];
            s[i] = t[1];
        }
        Runtime rt = Runtime.getRuntime();
        // --warmup is a least: the warm-up goes on until the collector has settled (memory figures)
        c.out.printf(Locale.ROOT, "model %s, image %s, %d iterations after %d warm-up passes (at least %d asked; %s), "
                + "threads %d%n", modelName(m), img.name(), n, warmed, warm, filled
                        ? "ended by the young generation's first filling after a full collection"
                        : "no young collection within " + most + " passes", Nd4jRuntime.threads());
        if (fast) {
            c.out.printf(Locale.ROOT, "fast pass (batch norm folded, fused): median %.2f ms (min %.2f, p90 %.2f)%n",
                    q(f, 0.5), q(f, 0), q(f, 0.9));
        }
        if (inspect) {
            c.out.printf(Locale.ROOT, "inspect pass (every module readable): median %.2f ms (min %.2f, p90 %.2f)%s%n",
                    q(s, 0.5), q(s, 0), q(s, 0.9),
                    fast ? String.format(Locale.ROOT, ", %.2fx fast", q(s, 0.5) / q(f, 0.5)) : "");
        }
        // every point read right after a full collection, so that what differs is what the passes
        // kept (Java or native), not the young generation the collector let grow again in between
        // (up to hundreds of MB with a large default heap); the size before the last one is printed too
        Memory beforeGc = Memory.now();
        Memory atEnd = Memory.settled();
        // (a run shorter than 10 passes has no tenth to read growth from: only the whole run's)
        String tenthPart = tenth == 0 ? "" : String.format(Locale.ROOT, "%.0f MB after %d passes, ", atTenth.rss(), tenth);
        String lastPart = tenth == 0 ? "" : String.format(Locale.ROOT, "growth over the last %d: %+.1f MB; ", n - tenth,
                atEnd.rss() - atTenth.rss());
        c.out.printf(Locale.ROOT, "resident memory: %.0f MB after warm-up, %s%.0f MB after %d passes of %s "
                + "(%ssince warm-up: %+.1f MB; each after a full collection; %.0f MB before "
                + "the last one), peak %.0f MB; Java heap in use %.0f of %.0f MB%n",
                at0.rss(), tenthPart, atEnd.rss(), n, mode, lastPart,
                atEnd.rss() - at0.rss(), beforeGc.rss(), rssMb("VmHWM"), beforeGc.heapUsed(), rt.maxMemory() / 1048576.0);
        // what the growth is made of: the collector's sizing of the Java heap, or anything else (native)
        if (tenth > 0) {
            c.out.print(Memory.growth("warm-up to pass " + tenth, at0, atTenth));
            c.out.print(Memory.growth("pass " + tenth + " to the end", atTenth, atEnd));
        } else {
            c.out.print(Memory.growth("warm-up to the end", at0, atEnd));
        }
        return 0;
    }

    /**
     * One inspect pass against a whole compare of the model with itself (two inspect-all passes
     * and every module's figures), interleaved, so that both see the same machine load.
     */
    private static int compare(Model m, LoadedImage img, int n, int warm, Context c) {
        double[] ins = new double[n];
        double[] cmp = new double[n];
        double[] insCpu = new double[n];
        double[] cmpCpu = new double[n];
        // CPU time of this thread too: with one engine thread the ops run on it, and CPU time is
        // what a loaded machine does not distort
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = -warm; i < n; i++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            // the pass is complete when inspect returns; nothing read (a read may compute a module again)
            m.inspect(img, null, null).close();
            long t1 = System.nanoTime();
            long c1 = mx.getCurrentThreadCpuTime();
            org.layerlens.engine.analysis.Comparer.models(m, m, img,
                    org.layerlens.engine.analysis.Comparer.Options.DEFAULT,
                    org.layerlens.engine.analysis.Progress.NONE, null);
            long t2 = System.nanoTime();
            long c2 = mx.getCurrentThreadCpuTime();
            if (i >= 0) {
                ins[i] = (t1 - t0) / 1e6;
                cmp[i] = (t2 - t1) / 1e6;
                insCpu[i] = (c1 - c0) / 1e6;
                cmpCpu[i] = (c2 - c1) / 1e6;
            }
        }
        c.out.printf(Locale.ROOT, "model %s, image %s, %d iterations after %d warm-up, threads %d%n", m.name(),
                img.name(), n, warm, Nd4jRuntime.threads());
        c.out.printf(Locale.ROOT, "inspect pass (preprocessing included): median %.1f ms (min %.1f)%n", q(ins, 0.5),
                q(ins, 0));
        c.out.printf(Locale.ROOT, "compare (two inspect-all passes + every module's figures): median %.1f ms (min %.1f), "
                + "%.2fx one inspect pass%n", q(cmp, 0.5), q(cmp, 0), q(cmp, 0.5) / q(ins, 0.5));
        c.out.printf(Locale.ROOT, "CPU time of the calling thread: inspect %.1f ms, compare %.1f ms (medians), %.2fx%n",
                q(insCpu, 0.5), q(cmpCpu, 0.5), q(cmpCpu, 0.5) / q(insCpu, 0.5));
        return 0;
    }

    /** The model's name with its architecture, once (a bundled model's name already says it). */
    private static String modelName(Model m) {
        return m.name().contains(m.spec().name()) ? m.name() : m.name() + " (" + m.spec().name() + ")";
    }

    private static double[] pass(Model m, float[] x, LoadedImage img, boolean fast, boolean inspect) {
        double[] t = {Double.NaN, Double.NaN};
        if (fast) {
            long t0 = System.nanoTime();
            m.detectInput(x, img);
            t[0] = (System.nanoTime() - t0) / 1e6;
        }
        if (inspect) {
            long t0 = System.nanoTime();
            try (Inspection ins = m.inspectInput(x, img, null, null)) {
                t[1] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return t;
    }

    /** Garbage collections so far, all collectors. */
    private static long collections() {
        long n = 0;
        for (java.lang.management.GarbageCollectorMXBean b
                : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, b.getCollectionCount());
        }
        return n;
    }

    static double q(double[] v, double p) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[(int) Math.min(c.length - 1, Math.round(p * (c.length - 1)))];
    }

    /**
     * A full collection, then a second for G1 to hand the freed heap back to the system: since
     * JDK 17 it uncommits concurrently after the collection, so resident size read at once still
     * counts regions it is about to release.
     */
    private static void collectAndSettle() {
        System.gc();
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Resident size, committed and used Java heap (MB). */
    private record Memory(double rss, double heapCommitted, double heapUsed, double heapResident) {
        static Memory now() {
            Runtime rt = Runtime.getRuntime();
            return new Memory(rssMb("VmRSS"), rt.totalMemory() / 1048576.0,
                    (rt.totalMemory() - rt.freeMemory()) / 1048576.0, HeapPages.residentMb());
        }

        /** Read after a full collection has settled. */
        static Memory settled() {
            collectAndSettle();
            return now();
        }

        /**
         * One line: resident growth from {@code a} to {@code b}, split into the Java heap's resident
         * pages (within its committed size; where /proc/self/smaps tells them) and the rest.
         */
        static String growth(String span, Memory a, Memory b) {
            if (Double.isNaN(a.heapResident) || Double.isNaN(b.heapResident)) {
                return String.format(Locale.ROOT, "  %s: resident %+.1f MB = Java heap committed %+.1f MB (%.0f -> %.0f "
                        + "MB; live after a full collection %.0f -> %.0f MB) + the rest, native and JVM, %+.1f MB (the "
                        + "heap's resident pages not told apart: no /proc/self/smaps, or no mapping of the heap's "
                        + "size in it)%n", span,
                        b.rss - a.rss, b.heapCommitted - a.heapCommitted, a.heapCommitted, b.heapCommitted, a.heapUsed,
                        b.heapUsed, (b.rss - b.heapCommitted) - (a.rss - a.heapCommitted));
            }
            return String.format(Locale.ROOT, "  %s: resident %+.1f MB = Java heap's resident pages %+.1f MB (%.0f -> %.0f "
                    + "MB of %.0f -> %.0f MB committed; live after a full collection %.0f -> %.0f MB) + the rest, native "
                    + "and JVM, %+.1f MB%n", span, b.rss - a.rss, b.heapResident - a.heapResident, a.heapResident,
                    b.heapResident, a.heapCommitted, b.heapCommitted, a.heapUsed, b.heapUsed,
                    (b.rss - b.heapResident) - (a.rss - a.heapResident));
        }
    }

    /** Resident memory from /proc (Linux); NaN elsewhere. */
    static double rssMb(String field) {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}

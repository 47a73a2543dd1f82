package org.layerlens.engine.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.TestData;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.exec.CancelledException;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.io.CheckpointException;

/** The analysis pieces on their own (figures, sketch, histogram) and on the committed random checkpoints. */
class AnalysisTest {
    static Model four;
    static LoadedImage coffee;

    @BeforeAll
    static void load() throws IOException {
        four = Model.open(TestData.reference("mb2-ssd-lite-random-4.pth"), null);
        coffee = Images.read(TestData.sampleImage("coffee.png"));
    }

    @Test
    void metricsOfHandMadeTensors() {
        float[] a = {3, -4, 0, 1};
        float[] b = {3, -4, 0.5f, 1};
        LayerMetrics m = LayerMetrics.of(a, b);
        assertEquals(0.5, m.maxAbs(), 0);
        assertEquals(0.125, m.meanAbs(), 0);
        assertEquals(0.5 / 4, m.relErr(), 0);
        assertEquals(26 / Math.sqrt(26 * 26.25), m.cosine(), 1e-12);
        assertEquals(10 * Math.log10(26 / 0.25), m.sqnrDb(), 1e-12);
        assertTrue(m.diverges(1e-3));
        LayerMetrics same = LayerMetrics.of(a, a.clone());
        assertEquals(Double.POSITIVE_INFINITY, same.sqnrDb());
        assertFalse(same.diverges(0));
        // below 1 the relative error is the absolute one: max(1, max|a|)
        assertEquals(0.5, LayerMetrics.of(new float[] {0.1f}, new float[] {0.6f}).relErr(), 1e-7);
        assertTrue(LayerMetrics.of(new float[] {1}, new float[] {Float.NaN}).diverges(1));
    }

    /** The figures against a plain sum in double written here, on random tensors of several lengths, and a NaN among them. */
    @Test
    void metricsEqualAPlainSum() {
        Random r = new Random(11);
        for (int n : new int[] {0, 1, 3, 4, 7, 1000, 1001, 1002, 1003}) {
            float[] a = new float[n];
            float[] b = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = (float) (r.nextGaussian() * 3);
                b[i] = a[i] + (float) (r.nextGaussian() * 0.01);
            }
            double maxDiff = 0, sum = 0, maxA = 0, dot = 0, aa = 0, bb = 0, noise = 0;
            for (int i = 0; i < n; i++) {
                double d = Math.abs((double) a[i] - b[i]);
                maxDiff = Math.max(maxDiff, d);
                sum += d;
                maxA = Math.max(maxA, Math.abs(a[i]));
                dot += (double) a[i] * b[i];
                aa += (double) a[i] * a[i];
                bb += (double) b[i] * b[i];
                noise += d * d;
            }
            LayerMetrics m = LayerMetrics.of(a, b);
            assertEquals(maxDiff, m.maxAbs(), 0, "n " + n);
            assertEquals(n == 0 ? 0 : sum / n, m.meanAbs(), 1e-12, "n " + n);
            assertEquals(maxDiff / Math.max(1, maxA), m.relErr(), 0, "n " + n);
            if (n > 0) {
                assertEquals(dot / Math.sqrt(aa * bb), m.cosine(), 1e-12, "n " + n);
                assertEquals(10 * Math.log10(aa / noise), m.sqnrDb(), 1e-9, "n " + n);
            }
        }
        float[] a = {1, 2, 3, 4, 5, 6, 7, 8};
        float[] b = a.clone();
        b[5] = Float.NaN;
        LayerMetrics broken = LayerMetrics.of(a, b);
        assertTrue(Double.isNaN(broken.maxAbs()));
        assertTrue(broken.diverges(1));
    }

    @Test
    void tailSketchQuantilesAreWithinItsStatedErrorOfTheOrderStatistic() {
        Random r = new Random(5);
        TailSketch s = new TailSketch();
        List<Float> all = new ArrayList<>();
        for (int batch = 0; batch < 40; batch++) {
            float[] v = new float[997];
            double spread = Math.exp(0.5 * r.nextGaussian()); // batches of different ranges: the window moves
            for (int i = 0; i < v.length; i++) {
                v[i] = i % 3 == 0 ? 0f : (float) (Math.exp(0.5 * r.nextGaussian()) * spread * (r.nextBoolean() ? 1 : -1));
                all.add(Math.abs(v[i]));
            }
            s.addAll(v, 0, v.length);
        }
        float[] sorted = new float[all.size()];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = all.get(i);
        }
        Arrays.sort(sorted);
        assertEquals(sorted.length, s.count());
        for (double q : new double[] {0.5, 0.9, 0.999, 0.9999, 1.0}) {
            double want = sorted[(int) Math.ceil(q * sorted.length) - 1];
            assertTrue(s.inWindow(q), "q " + q);
            assertEquals(want, s.quantile(q), want * TailSketch.RELATIVE_ERROR, "q " + q);
        }
        assertEquals(0, s.quantile(0.2), "a third are zeros");
        // merged into another sketch, the counts add up
        TailSketch m = new TailSketch();
        m.merge(s);
        m.merge(s);
        assertEquals(2 * s.count(), m.count());
        assertEquals(s.quantile(0.999), m.quantile(0.999), 0);
    }

    @Test
    void tailSketchFoldsValuesFarBelowTheTopAndSaysSo() {
        TailSketch s = new TailSketch();
        float[] v = new float[10_000];
        Arrays.fill(v, 1e-6f);          // 30 powers of two below the one large value
        v[0] = 1000f;
        s.addAll(v, 0, v.length);
        assertFalse(s.inWindow(0.5));
        assertTrue(s.quantile(0.5) >= 1e-6, "an upper bound when folded");
        assertTrue(s.inWindow(1.0));
        assertEquals(1000, s.quantile(1.0), 1000 * TailSketch.RELATIVE_ERROR);
    }

    @Test
    void rangingHistogramCountsExactlyWhileItWidens() {
        RangingHistogram h = new RangingHistogram();
        Random r = new Random(9);
        List<Float> all = new ArrayList<>();
        for (int batch = 0; batch < 20; batch++) {
            float[] v = new float[500];
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * (batch + 1));
                lo = Math.min(lo, v[i]);
                hi = Math.max(hi, v[i]);
                all.add(v[i]);
            }
            h.cover(lo, hi);
            h.addAll(v, 0, v.length);
        }
        Histogram snap = h.snapshot();
        long[] want = new long[RangingHistogram.BINS];
        for (float f : all) {
            want[(int) Math.floor((f - snap.lo()) / snap.width())]++;
        }
        assertArrayEquals(want, snap.counts());
        assertEquals(0, Math.log(snap.width()) / Math.log(2) % 1, 1e-12, "width is a power of two");
    }

    @Test
    void aModelAgainstItselfIsIdenticalEverywhere() {
        Comparison c = Comparer.models(four, four, coffee, Comparer.Options.DEFAULT, Progress.NONE, null);
        assertNull(c.firstDivergent());
        assertEquals(c.modules().size(), c.comparedCount());
        for (ModuleComparison m : c.modules()) {
            assertEquals(0, m.metrics().maxAbs(), m.path());
            assertEquals(1, m.metrics().cosine(), 1e-12, m.path());
        }
        assertEquals(c.detectionsA().size(), c.pairs().size());
    }

    @Test
    void treesThatDifferCompareWhatTheyShareAndListTheRest() throws IOException {
        Model tw = Model.open(TestData.reference("mb2-ssd-lite-random-21.pth"), null);
        Comparison c = Comparer.models(four, tw, coffee, Comparer.Options.DEFAULT, Progress.NONE, null);
        // other random weights: the very first convolution already parts ways
        assertEquals("base_net.0.0", c.firstDivergent());
        ModuleComparison head = c.module("classification_headers.0.3");
        assertFalse(head.comparable());
        assertTrue(head.reason().contains("[24, 19, 19] in A, [126, 19, 19] in B"), head.reason());
        assertTrue(c.module("regression_headers.0").comparable(), "box heads have 4 values per anchor in both");
    }

    @Test
    void twoImagesOnOneModelAndTheirDifference() throws IOException {
        LoadedImage other = Images.read(TestData.sampleImage("astronaut.png"));
        try (Inspection a = four.inspect(coffee, null, null); Inspection b = four.inspect(other, null, null)) {
            Comparison c = Comparer.of(a, b, four.name(), four.name(), "coffee.png", "astronaut.png",
                    Comparer.Options.DEFAULT, null);
            assertEquals("base_net.0.0", c.firstDivergent());
            LayerData d = Comparer.difference(a, b, "base_net.0.0");
            LayerData x = a.layer("base_net.0.0");
            LayerData y = b.layer("base_net.0.0");
            assertArrayEquals(x.shape(), d.shape());
            for (int i = 0; i < d.values.length; i += 97) {
                assertEquals(Math.abs(x.values[i] - y.values[i]), d.values[i], 0);
            }
            assertEquals(c.module("base_net.0.0").metrics().maxAbs(), d.stats().max(), 1e-6);
        }
    }

    @Test
    void statsSkipUnreadableFilesReportProgressAndCanBeCancelled(@TempDir Path dir) throws Exception {
        Path a = Files.copy(TestData.sampleImage("coffee.png"), dir.resolve("a.png"));
        Path bad = Files.writeString(dir.resolve("b.png"), "no png");
        Path c = Files.copy(TestData.sampleImage("shapes-01.png"), dir.resolve("c.png"));
        List<String> warnings = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        DatasetStats s = Statistics.run(four, List.of(a, bad, c), 2, (done, total, what) -> calls.incrementAndGet(),
                warnings::add, null);
        assertEquals(2, s.images());
        assertEquals(List.of(bad.toString()), s.skipped());
        assertEquals(1, warnings.size());
        assertEquals(3, calls.get(), "one progress report per file");
        // against LayerData's own per-channel figures for one module, on the two images
        LayerData la;
        LayerData lc;
        // stats runs inspect-all passes (every module's own unfused value): read the same here
        try (Inspection x = four.inspectAll(Images.read(a), null, null)) {
            la = x.layer("base_net.1.conv.3");
        }
        try (Inspection x = four.inspectAll(Images.read(c), null, null)) {
            lc = x.layer("base_net.1.conv.3");
        }
        ModuleStats ms = s.module("base_net.1.conv.3");
        int sampled = (la.channels + 4) / 5;
        float[] wantMin = new float[sampled];
        float[] gotMin = new float[sampled];
        float[] wantMax = new float[sampled];
        float[] gotMax = new float[sampled];
        for (int ch = 0, k = 0; ch < la.channels; ch += 5, k++) {
            ChannelStats st = ms.channels().get(ch);
            wantMin[k] = Math.min(la.channelMin(ch), lc.channelMin(ch));
            gotMin[k] = st.min();
            wantMax[k] = Math.max(la.channelMax(ch), lc.channelMax(ch));
            gotMax[k] = st.max();
            assertEquals((la.channelMean(ch) + lc.channelMean(ch)) / 2, st.mean(), 1e-6);
        }
        // the stats' passes ran on its 2 workers, these on the test thread with the engine's
        // threads: other passes, which oneDNN may sum in another order (TestData.OTHER_PASS)
        TestData.close("channel minima", wantMin, gotMin, TestData.OTHER_PASS);
        TestData.close("channel maxima", wantMax, gotMax, TestData.OTHER_PASS);
        AtomicInteger seen = new AtomicInteger();
        assertThrows(CancelledException.class, () -> Statistics.run(four, List.of(a, c, a, c), 1,
                (done, total, what) -> seen.incrementAndGet(), w -> { }, () -> seen.get() >= 1));
        assertTrue(seen.get() < 4, "stopped early");
    }

    @Test
    void int8WhatIfFoldsQuantisesAndNamesWhatIsGone(@TempDir Path dir) throws Exception {
        DatasetStats s = Statistics.run(four, List.of(TestData.sampleImage("coffee.png"),
                TestData.sampleImage("shapes-01.png")), 2, Progress.NONE, w -> { }, null);
        Path stats = Files.writeString(dir.resolve("stats.json"), StatsJson.write(s));
        Calibration cal = Calibration.read(stats, Calibration.Choice.MINMAX);
        Model q = Int8Simulation.apply(four, cal, Int8Simulation.Weights.PER_CHANNEL);
        // the same paths on a network whose heads have other shapes (21 classes): its ranges would
        // be another network's, so the table is refused, also once exported and read back
        Model tw = Model.open(TestData.reference("mb2-ssd-lite-random-21.pth"), null);
        Path exported = Files.writeString(dir.resolve("exported.json"), cal.toJson(cal.ranges().keySet()));
        for (Calibration c : List.of(cal, Calibration.read(exported, Calibration.Choice.MINMAX))) {
            IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                    () -> Int8Simulation.apply(tw, c, Int8Simulation.Weights.PER_TENSOR));
            assertTrue(other.getMessage().contains("ranges of another model: classification_headers.0.3 is [24, 19, 19] "
                    + "there, [126, 19, 19] in"), other.getMessage());
        }
        assertTrue(q.notComparable().contains("base_net.0.0") && q.notComparable().contains("base_net.0.1"));
        assertFalse(q.notComparable().contains("base_net.0.2"));
        Comparison c = Comparer.models(four, q, coffee, Comparer.Options.DEFAULT, Progress.NONE, null);
        ModuleComparison first = c.module("base_net.0.2");
        assertTrue(first.comparable());
        // uint8 over ReLU6's range: a grid step of ~6/255 gives roughly 40 dB or more at the first layer
        assertTrue(first.metrics().sqnrDb() > 30 && first.metrics().sqnrDb() < 80, first.metrics().toString());
        assertFalse(c.module("base_net.0.0").comparable());
        // a table round trip keeps the grids
        Path table = Files.writeString(dir.resolve("table.json"), cal.toJson(s.modules().stream()
                .map(ModuleStats::path).toList()));
        Calibration back = Calibration.read(table, Calibration.Choice.P999);
        assertEquals(cal.range("base_net.5").scale(), back.range("base_net.5").scale());
        assertEquals(cal.range("base_net.5").zeroPoint(), back.range("base_net.5").zeroPoint());
        // the per-tensor weights of a layer are never closer to float than the per-channel ones
        float[] w = {0.01f, -0.02f, 5f, 0.003f, 0.004f, -0.001f};
        float[] pc = Int8Simulation.quantise(w, 2, Int8Simulation.Weights.PER_CHANNEL);
        float[] pt = Int8Simulation.quantise(w, 2, Int8Simulation.Weights.PER_TENSOR);
        assertEquals(0f, pt[3], "0.003 is below half a step of 5/127");
        assertEquals(0.003f, pc[3], 0.004f / 127);
    }

    @Test
    void badCalibrationFilesGetOneClearLine(@TempDir Path dir) throws IOException {
        String[][] cases = {
            {"{nope", "not valid JSON"},
            {"[1, 2]", "not a JSON object"},
            {"{\"x\": 1}", "no \"modules\""},
            {"{\"modules\": {\"a\": {\"min\": 1, \"max\": 0, \"scale\": 1, \"zeroPoint\": 0}}}", "min <= max"},
            {"{\"modules\": {\"a\": {\"min\": 0}}}", "a: no number \"max\""},
            {"{\"modules\": {\"a\": {\"min\": 0, \"max\": \"6\"}}}", "a: no number \"max\""},
            {"{\"modules\": {\"a\": 5}}", "a: not an object with min and max"},
            // a range edited without its grid: the grid is what quantises, so the edit would do nothing
            {"{\"modules\": {\"a\": {\"min\": 0, \"max\": 1e30, \"scale\": 0.0235, \"zeroPoint\": 0}}}",
                "a: scale 0.0235000 and zeroPoint 0 are not the grid of min 0.00000 and max 1.00000e+30"},
            {"{\"modules\": {\"a\": {\"min\": 0, \"max\": 6, \"scale\": 0.0235294, \"zeroPoint\": 2.5}}}",
                "integer zeroPoint"},
            {"{\"images\": 1, \"modules\": [{\"path\": \"a\"}]}", "damaged"},
            // a statistics file whose range was edited to max < min
            {"{\"images\": 1, \"modules\": [{\"path\": \"a\", \"shape\": [1], \"channels\": [], \"dead\": [], "
                + "\"saturated\": [], \"range\": {\"min\": 0, \"max\": -5, \"p999\": 1, \"p9999\": 1}}]}",
                "a: its range needs finite min <= max"},
        };
        for (String[] c : cases) {
            Path f = Files.writeString(dir.resolve("cal.json"), c[0]);
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> Calibration.read(f, Calibration.Choice.MINMAX), c[0]);
            assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains(c[1]), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        CheckpointException folder = assertThrows(CheckpointException.class,
                () -> Calibration.read(dir, Calibration.Choice.MINMAX));
        assertEquals(dir + ": a folder, not a statistics file or calibration table", folder.getMessage());
        // a table may give the range alone: its grid is made from it
        Path alone = Files.writeString(dir.resolve("alone.json"), "{\"modules\": {\"a\": {\"min\": -1, \"max\": 6}}}");
        Calibration.Range r = Calibration.read(alone, Calibration.Choice.MINMAX).range("a");
        assertEquals(7 / 255f, r.scale(), 1e-9);
        assertEquals(36, r.zeroPoint()); // rint(1 / (7 / 255)) = rint(36.43)
        Path other = Files.writeString(dir.resolve("other.json"),
                "{\"modules\": {\"mobilenetv1.conv_0\": {\"min\": 0, \"max\": 6, \"scale\": 0.0235294, "
                        + "\"zeroPoint\": 0}}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Int8Simulation.apply(four,
                Calibration.read(other, Calibration.Choice.MINMAX), Int8Simulation.Weights.PER_TENSOR));
        assertTrue(e.getMessage().contains("no range for any module"), e.getMessage());
    }
}

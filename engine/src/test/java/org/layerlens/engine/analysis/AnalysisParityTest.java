package org.layerlens.engine.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.TestData;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;

/**
 * Compare, stats and the int8 what-if against reference/make_analysis.py: checkpoints written by
 * real torch.save (one layer changed; channels forced dead) and NumPy's statistics over the same
 * images (the int8 what-if: exec/Int8ParityTest). CI makes the
 * files (.ci/run sets LAYERLENS_ANALYSIS_DIR); elsewhere these tests are skipped.
 */
class AnalysisParityTest {
    static Path dir() {
        String d = System.getenv().getOrDefault("LAYERLENS_ANALYSIS_DIR",
                System.getProperty("layerlens.analysis.dir", ""));
        Assumptions.assumeTrue(!d.isBlank(), "set LAYERLENS_ANALYSIS_DIR (made by reference/make_analysis.py)");
        return Paths.get(d);
    }

    static JsonObject json(Path p) throws IOException {
        return JsonParser.parseString(Files.readString(p)).getAsJsonObject();
    }

    @Test
    void aChangedLayerIsTheFirstDivergentModuleAndNothingBeforeItMoves() throws Exception {
        Path d = dir();
        JsonObject manifest = json(d.resolve("manifest.json"));
        String changed = manifest.get("changedModule").getAsString();
        Model base = Model.open(d.resolve("base.pth"), null);
        Model other = Model.open(d.resolve("changed.pth"), null);
        LoadedImage img = Images.read(TestData.sampleImage("coffee.png"));
        Comparison c = Comparer.models(base, other, img, Comparer.Options.DEFAULT, Progress.NONE, null);
        assertEquals(changed, c.firstDivergent());
        int at = -1;
        for (int i = 0; i < c.modules().size(); i++) {
            if (c.modules().get(i).path().equals(changed)) {
                at = i;
            }
        }
        for (ModuleComparison m : c.modules().subList(0, at)) {
            assertTrue(m.comparable(), m.path());
            assertEquals(0.0, m.metrics().maxAbs(), m.path() + " moved before the changed layer");
        }
        LayerMetrics x = c.module(changed).metrics();
        assertTrue(x.relErr() > 1e-3 && x.cosine() < 1 && Double.isFinite(x.sqnrDb()), x.toString());
        assertTrue(c.onlyInA().isEmpty() && c.onlyInB().isEmpty());
        int checked = figuresMatchPyTorch(c, json(d.resolve("changed-figures.json")));
        System.out.printf(Locale.ROOT, "changed.pth: first divergent %s (relative error %.4g, SQNR %.1f dB), "
                + "%d modules before it identical; %d modules' figures within tolerance of PyTorch's%n", changed,
                x.relErr(), x.sqnrDb(), at, checked);
    }

    /**
     * Every compared module's five figures against those make_analysis.py computed from PyTorch's
     * float64 runs. Tolerances: the engine runs float32, whose outputs part from float64 ones by
     * ~1e-6 of their size, so differences and relative errors within 1e-3 of the reference's value
     * plus 1e-5 (1e-6 for the relative error, already divided by max|a|), cosine within 1e-6, SQNR
     * within 0.01 dB (equal outputs: +infinity on both sides, null in the reference's JSON).
     */
    private static int figuresMatchPyTorch(Comparison c, JsonObject ref) {
        int n = 0;
        for (ModuleComparison m : c.modules()) {
            JsonObject r = ref.getAsJsonObject(m.path());
            if (!m.comparable() || r == null) {
                continue;
            }
            LayerMetrics j = m.metrics();
            String at = m.path() + " " + j + " against PyTorch's " + r;
            assertTrue(close(j.maxAbs(), r.get("maxAbs").getAsDouble(), 1e-5), at);
            assertTrue(close(j.meanAbs(), r.get("meanAbs").getAsDouble(), 1e-5), at);
            assertTrue(close(j.relErr(), r.get("relErr").getAsDouble(), 1e-6), at);
            assertTrue(Math.abs(j.cosine() - r.get("cosine").getAsDouble()) <= 1e-6, at);
            if (r.get("sqnrDb").isJsonNull()) {
                assertEquals(Double.POSITIVE_INFINITY, j.sqnrDb(), at);
            } else {
                assertTrue(Math.abs(j.sqnrDb() - r.get("sqnrDb").getAsDouble()) <= 0.01, at);
            }
            n++;
        }
        assertTrue(n > 100, n + " modules compared with PyTorch's figures");
        return n;
    }

    private static boolean close(double got, double want, double floor) {
        return Math.abs(got - want) <= 1e-3 * Math.abs(want) + floor;
    }

    @Test
    void statsMatchNumpyAndListExactlyTheDeadChannels(@TempDir Path tmp) throws Exception {
        Path d = dir();
        JsonObject ref = json(d.resolve("stats-ref.json")).getAsJsonObject("modules");
        JsonObject expected = json(d.resolve("dead-expected.json"));
        // the images, plus files that are no images: skipped with a warning each, the run goes on
        List<Path> images = new ArrayList<>();
        try (Stream<Path> s = Files.list(d.resolve("images"))) {
            s.sorted().forEach(images::add);
        }
        Path junk = Files.writeString(tmp.resolve("broken.jpg"), "not a jpeg");
        images.add(1, junk);
        List<String> warnings = new ArrayList<>();
        Model m = Model.open(d.resolve("dead.pth"), null);
        DatasetStats s = Statistics.run(m, images, 2, Progress.NONE, warnings::add, null);
        assertEquals(images.size() - 1, s.images());
        assertEquals(List.of(junk.toString()), s.skipped());
        assertEquals(1, warnings.size(), warnings.toString());

        assertEquals(ref.keySet(), pathsOf(s), "modules reported");
        double worstStat = 0;
        double worstP = 0;
        double worstShare = 0;
        int channels = 0;
        for (ModuleStats ms : s.modules()) {
            JsonObject r = ref.getAsJsonObject(ms.path());
            assertArrayEquals(ints(r.getAsJsonArray("shape")), ms.shape(), ms.path());
            double scale = 1;
            for (JsonElement e : r.getAsJsonArray("max")) {
                scale = Math.max(scale, Math.abs(e.getAsDouble()));
            }
            for (JsonElement e : r.getAsJsonArray("min")) {
                scale = Math.max(scale, Math.abs(e.getAsDouble()));
            }
            // the project's parity tolerance: the Java computes in float32, the reference in float64
            double tol = 1e-4 * scale;
            for (int c = 0; c < ms.channels().size(); c++) {
                ChannelStats x = ms.channels().get(c);
                String where = ms.path() + " channel " + c;
                worstStat = Math.max(worstStat, close(at(r, "min", c), x.min(), tol, where + " min"));
                worstStat = Math.max(worstStat, close(at(r, "max", c), x.max(), tol, where + " max"));
                worstStat = Math.max(worstStat, close(at(r, "mean", c), x.mean(), tol, where + " mean"));
                worstStat = Math.max(worstStat, close(at(r, "std", c), x.std(), tol, where + " std"));
                // shares: a pre-activation within float32 rounding of 0 or 6 lands on either side
                // (the reference is float64), and a depthwise 3x3 after it spreads that to 9 values
                worstShare = Math.max(worstShare, Math.abs(at(r, "zeros", c) - x.zeros()));
                worstShare = Math.max(worstShare, Math.abs(at(r, "atCeiling", c) - x.atCeiling()));
                assertEquals(at(r, "zeros", c), x.zeros(), 1e-2, where + " zeros");
                assertEquals(at(r, "atCeiling", c), x.atCeiling(), 1e-2, where + " atCeiling");
                // percentiles: the sketch's stated error (2^-7 relative) plus the float tolerance
                for (String q : new String[] {"p999", "p9999"}) {
                    double want = at(r, q, c);
                    double got = q.equals("p999") ? x.p999() : x.p9999();
                    double err = Math.abs(got - want);
                    double bound = TailSketch.RELATIVE_ERROR * want + tol;
                    assertTrue(err <= bound, where + " " + q + ": " + got + " vs NumPy " + want);
                    worstP = Math.max(worstP, err / bound);
                }
                channels++;
            }
            JsonObject rr = r.getAsJsonObject("range");
            close(rr.get("min").getAsDouble(), ms.range().min(), tol, ms.path() + " range min");
            close(rr.get("max").getAsDouble(), ms.range().max(), tol, ms.path() + " range max");
            for (String q : new String[] {"p999", "p9999"}) {
                double want = rr.get(q).getAsDouble();
                double got = q.equals("p999") ? ms.range().p999() : ms.range().p9999();
                assertTrue(Math.abs(got - want) <= TailSketch.RELATIVE_ERROR * want + tol,
                        ms.path() + " tensor " + q + ": " + got + " vs " + want);
            }
            assertArrayEquals(ints(expected.getAsJsonObject("dead").getAsJsonArray(ms.path())), ms.dead(),
                    ms.path() + " dead channels");
            assertArrayEquals(ints(expected.getAsJsonObject("saturated").getAsJsonArray(ms.path())), ms.saturated(),
                    ms.path() + " saturated channels");
            long total = 0;
            for (long n : ms.histogram().counts()) {
                total += n;
            }
            assertEquals((long) s.images() * ms.shape()[0] * ms.shape()[1] * ms.shape()[2], total, ms.path());
        }
        for (Map.Entry<String, JsonElement> e : expected.getAsJsonObject("forced").getAsJsonObject("dead").entrySet()) {
            Set<Integer> dead = set(s.module(e.getKey()).dead());
            for (JsonElement c : e.getValue().getAsJsonArray()) {
                assertTrue(dead.contains(c.getAsInt()), e.getKey() + " forced dead channel " + c);
            }
        }
        for (Map.Entry<String, JsonElement> e : expected.getAsJsonObject("forced").getAsJsonObject("saturated")
                .entrySet()) {
            assertArrayEquals(ints(e.getValue().getAsJsonArray()), s.module(e.getKey()).saturated(), e.getKey());
        }
        System.out.printf(Locale.ROOT, "stats of dead.pth over %d images: %d modules, %d channels; worst min/max/mean/std "
                + "%.3f of 1e-4*max(1,|x|), worst percentile %.3f of the sketch's bound, worst share of zeros or "
                + "6.0 off by %.4f%n", s.images(), s.modules().size(), channels, worstStat, worstP, worstShare);
    }

    private static Set<String> pathsOf(DatasetStats s) {
        Set<String> out = new java.util.LinkedHashSet<>();
        s.modules().forEach(m -> out.add(m.path()));
        return out;
    }

    private static double at(JsonObject r, String key, int c) {
        return r.getAsJsonArray(key).get(c).getAsDouble();
    }

    private static double close(double want, double got, double tol, String what) {
        assertTrue(Math.abs(want - got) <= tol, what + ": " + got + " vs NumPy " + want);
        return Math.abs(want - got) / tol;
    }

    private static int[] ints(JsonArray a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsInt();
        }
        return v;
    }

    private static Set<Integer> set(int[] v) {
        Set<Integer> s = new HashSet<>();
        for (int x : v) {
            s.add(x);
        }
        return s;
    }
}

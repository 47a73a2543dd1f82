package org.layerlens.engine.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.layerlens.engine.RandomModels;
import org.layerlens.engine.TestData;
import org.layerlens.engine.api.Box;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.DetectorOutput;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.api.PriorMatch;
import org.layerlens.engine.api.PriorQuery;
import org.layerlens.engine.arch.ArchitectureSpec;
import org.layerlens.engine.arch.Architectures;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.io.Npy;
import org.layerlens.engine.ssd.HeadLayout;

/**
 * Every detection's provenance (head, cell, anchor, prior index, prior, offsets, decoded box,
 * class scores, suppressed candidates) checked by {@link ProvenanceCheck} without
 * DetectorOutput's code path: on the random-weight mb2-ssd-lite checkpoints against PyTorch's own
 * scores and boxes for every prior, on mb1-ssd / mb1-ssd-lite against theirs (CI variants), on the
 * trained default model, and on every registered architecture with random weights.
 */
class ProvenanceTest {
    static Stream<Arguments> references() {
        return Stream.of(Arguments.of(4, "astronaut"), Arguments.of(4, "coffee"), Arguments.of(21, "astronaut"),
                Arguments.of(21, "coffee"));
    }

    @ParameterizedTest(name = "random-{0} on {1}")
    @MethodSource("references")
    void everyDetectionTracesBackToPyTorchsOwnScoresAndBoxes(int classes, String image) throws IOException {
        Model m = Model.open(TestData.reference("mb2-ssd-lite-random-" + classes + ".pth"), null);
        String tag = "random-" + classes + "-" + image;
        JsonObject ref = JsonParser.parseString(Files.readString(TestData.reference(tag + "-detections.json")))
                .getAsJsonObject();
        LoadedImage img = new LoadedImage(null, ref.get("width").getAsInt(), ref.get("height").getAsInt(),
                new byte[0]);
        float[] in = TestData.nchwToHwc(Npy.read(TestData.reference("input-" + image + ".npy")));
        DetectorOutput out = m.detectInput(in, img);
        float[] scores = Npy.read(TestData.reference(tag + "-scores.npy")).data();
        float[] boxes = Npy.read(TestData.reference(tag + "-boxes.npy")).data();
        for (double threshold : new double[] {0.5, 0.2}) {
            List<Detection> dets = out.detections(threshold, 0.45, 200);
            assertFalse(dets.isEmpty(), tag + " has detections at " + threshold);
            ProvenanceCheck.Report r = ProvenanceCheck.check(m, out, dets, threshold, 0.45, scores, boxes);
            System.out.println(ProvenanceCheck.describe(tag + " at " + threshold, r));
            assertTrue(r.refScoreDiff() <= 1e-4, tag + ": scores differ from PyTorch's by " + r.refScoreDiff());
            assertTrue(r.refBoxDiffPx() <= 0.1, tag + ": boxes differ from PyTorch's by " + r.refBoxDiffPx() + " px");
        }
    }

    static Stream<Arguments> variants() throws IOException {
        String d = System.getenv().getOrDefault("LAYERLENS_VARIANTS_DIR", System.getProperty("layerlens.variants.dir", ""));
        if (d.isBlank()) {
            return Stream.of(Arguments.of("(LAYERLENS_VARIANTS_DIR not set)", ""));
        }
        List<Arguments> out = new ArrayList<>();
        for (JsonElement e : JsonParser.parseString(Files.readString(Paths.get(d, "manifest.json"))).getAsJsonArray()) {
            JsonObject o = e.getAsJsonObject();
            String file = o.get("file").getAsString();
            // one checkpoint per architecture in the zip format is enough here (the readers have their own tests)
            if (file.endsWith(".pth") && !file.contains("legacy") && !file.contains("wrapped")
                    && !file.contains("dataparallel")) {
                out.add(Arguments.of(file, o.get("ref").getAsString()));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void mobileNetV1VariantsTraceBackToPyTorch(String file, String refTag) throws IOException {
        String d = System.getenv().getOrDefault("LAYERLENS_VARIANTS_DIR", System.getProperty("layerlens.variants.dir", ""));
        Assumptions.assumeTrue(!d.isBlank(), "set LAYERLENS_VARIANTS_DIR (made by reference/make_variants.py)");
        Model m = Model.open(Paths.get(d, file), null);
        float[] in = TestData.nchwToHwc(Npy.read(TestData.reference("input-coffee.npy")));
        LoadedImage img = new LoadedImage(null, 600, 400, new byte[0]);
        DetectorOutput out = m.detectInput(in, img);
        Path ref = Paths.get(d, refTag);
        float[] scores = Npy.read(ref.resolve("scores.npy")).data();
        float[] boxes = Npy.read(ref.resolve("boxes.npy")).data();
        double threshold = lowestUseful(out, m);
        List<Detection> dets = out.detections(threshold, 0.45, 200);
        ProvenanceCheck.Report r = ProvenanceCheck.check(m, out, dets, threshold, 0.45, scores, boxes);
        System.out.println(ProvenanceCheck.describe(file + " (" + m.spec().name() + ") at " + threshold, r));
        assertTrue(r.detections() > 0, file + ": no detections to check");
        assertTrue(r.refScoreDiff() <= 1e-4, file + ": scores differ from PyTorch's by " + r.refScoreDiff());
        assertTrue(r.refBoxDiffPx() <= 0.1, file + ": boxes differ from PyTorch's by " + r.refBoxDiffPx() + " px");
    }

    /** A threshold that gives some detections on random weights: just under the 20th best foreground score. */
    static double lowestUseful(DetectorOutput out, Model m) {
        int k = m.classes();
        float[] s = out.scores();
        List<Float> fg = new ArrayList<>();
        for (int i = 0; i < out.priors(); i++) {
            for (int c = 1; c < k; c++) {
                fg.add(s[i * k + c]);
            }
        }
        fg.sort((a, b) -> Float.compare(b, a));
        return Math.max(0.01, fg.get(Math.min(20, fg.size() - 1)) - 1e-6);
    }

    @Test
    void theTrainedDefaultModelsDetectionsTraceBack() throws IOException {
        Model m = TestData.defaultModel();
        int total = 0;
        for (String name : List.of("shapes-01.png", "shapes-02.png", "coffee.png")) {
            Path p = TestData.sampleImage(name);
            LoadedImage img = Images.read(p);
            DetectorOutput out = m.detect(img);
            for (double threshold : new double[] {0.5, 0.05}) {
                List<Detection> dets = out.detections(threshold, m.defaultIou(), m.candidates());
                ProvenanceCheck.Report r = ProvenanceCheck.check(m, out, dets, threshold, m.defaultIou(), null, null);
                System.out.println(ProvenanceCheck.describe("default on " + name + " at " + threshold, r));
                total += r.detections();
            }
        }
        assertTrue(total > 5, "the trained model finds shapes on its sample images");
    }

    static Stream<ArchitectureSpec> architectures() {
        return Architectures.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void everyArchitectureWithRandomWeightsTracesBack(ArchitectureSpec spec) throws IOException {
        Model m = RandomModels.of(spec, 7);
        LoadedImage img = Images.read(TestData.sampleImage("coffee.png"));
        DetectorOutput out = m.detect(img);
        double threshold = lowestUseful(out, m);
        List<Detection> dets = out.detections(threshold, m.defaultIou(), m.candidates());
        ProvenanceCheck.Report r = ProvenanceCheck.check(m, out, dets, threshold, m.defaultIou(), null, null);
        System.out.println(ProvenanceCheck.describe(m.name() + " at " + threshold, r));
        assertTrue(r.detections() > 0);
    }

    @Test
    void classMapsAreEachCellsBestAnchorFromTheRawMaps() throws IOException {
        Model m = Model.open(TestData.reference("mb2-ssd-lite-random-4.pth"), null);
        LoadedImage img = Images.read(TestData.sampleImage("coffee.png"));
        DetectorOutput out = m.detect(img);
        for (HeadLayout.Head h : m.layout().heads()) {
            for (int cls = 0; cls < m.classes(); cls++) {
                float[] map = out.classMap(h.index(), cls);
                assertEquals(h.rows() * h.cols(), map.length);
                float[] raw = out.raw().get("cls." + h.index());
                for (int cell = 0; cell < map.length; cell++) {
                    double best = 0;
                    for (int a = 0; a < h.anchors(); a++) {
                        best = Math.max(best, ProvenanceCheck.scores(m, raw, cell, h.anchors(), a)[cls]);
                    }
                    assertEquals(best, map[cell], 1e-6, "head " + h.index() + " class " + cls + " cell " + cell);
                }
            }
        }
    }

    @Test
    void bestPriorsAreTheHighestIousOfTheArchitecturesOwnPriors() throws IOException {
        Model m = Model.open(TestData.reference("mb2-ssd-lite-random-4.pth"), null);
        LoadedImage img = Images.read(TestData.sampleImage("coffee.png")); // 600x400: priors are stretched
        DetectorOutput out = m.detect(img);
        Box q = new Box(100, 80, 260, 200);
        List<double[]> all = new ArrayList<>();
        for (int i = 0; i < out.priors(); i++) {
            var o = m.layout().locate(i);
            double[] p = ProvenanceCheck.prior(m, out, o.head(), o.row(), o.col(), o.anchor(), i);
            all.add(new double[] {i, new Box(p[0], p[1], p[2], p[3]).iou(q)});
        }
        all.sort((a, b) -> a[1] != b[1] ? Double.compare(b[1], a[1]) : Double.compare(a[0], b[0]));
        List<PriorMatch> best = out.bestPriors(q, 5);
        for (int k = 0; k < 5; k++) {
            assertEquals((int) all.get(k)[0], best.get(k).priorIndex(), "rank " + k);
            assertEquals(all.get(k)[1], best.get(k).iou(), 1e-6);
            int i = best.get(k).priorIndex();
            assertEquals(out.scores()[i * m.classes() + 1], best.get(k).classScores()[1], 0.0);
        }
    }

    @Test
    void queriesTellSmallElongatedAndOffGridObjectsApart() throws IOException {
        Model m = Model.open(TestData.reference("mb2-ssd-lite-random-4.pth"), null);
        DetectorOutput out = blankInput(m, 300, 300);
        // a 20x20 square: inside the 60 px prior at best 400 / 3600 = 0.11
        PriorQuery small = out.query(new Box(140, 140, 160, 160), 5);
        assertFalse(small.matched());
        assertEquals(400.0 / 3600, small.shapeBound(), 1e-6);
        assertTrue(small.verdict().contains("smaller than the smallest prior (60 px a side)"), small.verdict());
        // 200 x 20: the widest prior is 60*sqrt3 x 60/sqrt3 (103.9 x 34.6): centred IoU 2078 / (4000 + 3600 - 2078)
        PriorQuery thin = out.query(new Box(50, 140, 250, 160), 5);
        double inter = 103.923 * 20;
        assertEquals(inter / (4000 + 3600 - inter), thin.shapeBound(), 1e-4);
        assertTrue(thin.verdict().contains("has a shape (w:h 10:1) far from every prior's (w:h 1:3, 1:2, 1:1, 2:1, "
                + "3:1; clipped border priors aside): a prior of the nearest shape (w:h 3:1) reaches at most IoU 0.38 "
                + "at any size"), thin.verdict());
        assertFalse(thin.verdict().contains("smaller") || thin.verdict().contains("larger"), thin.verdict());
        // head 0's cell (9,9) is centred at (9.5 * 16, 9.5 * 16) = (152, 152): its small prior is exactly this box
        PriorQuery onGrid = out.query(new Box(122, 122, 182, 182), 5);
        assertTrue(onGrid.matched(), onGrid.verdict());
        assertTrue(onGrid.verdict().startsWith("matched: prior "), onGrid.verdict());
        assertEquals(1.0, onGrid.best().get(0).iou(), 1e-5);
        assertEquals(0, onGrid.best().get(0).head());
        assertEquals(9, onGrid.best().get(0).row());
        assertEquals(9, onGrid.best().get(0).col());
        assertEquals(0, onGrid.best().get(0).anchor());
        // any box: the centred bound is a bound, and the verdict follows the numbers
        java.util.Random r = new java.util.Random(5);
        int[] kinds = new int[3];
        for (int i = 0; i < 3000; i++) {
            double side = Math.exp(Math.log(4) + r.nextDouble() * Math.log(300 / 4.0));
            double aspect = Math.exp((r.nextDouble() * 2 - 1) * Math.log(8));
            double bw = Math.min(299, side * Math.sqrt(aspect));
            double bh = Math.min(299, side / Math.sqrt(aspect));
            double x = r.nextDouble() * (300 - bw);
            double y = r.nextDouble() * (300 - bh);
            PriorQuery q = out.query(new Box(x, y, x + bw, y + bh), 5);
            double best = q.best().get(0).iou();
            assertTrue(q.shapeBound() >= best - 1e-6, q.shapeBound() + " < " + best);
            if (best >= 0.5) {
                assertTrue(q.verdict().startsWith("matched"), q.verdict());
                kinds[0]++;
            } else if (q.shapeBound() < 0.5) {
                assertTrue(q.verdict().startsWith("no prior of this model fits"), q.verdict());
                kinds[1]++;
            } else {
                assertTrue(q.verdict().startsWith("a prior of this size and shape exists"), q.verdict());
                kinds[2]++;
            }
        }
        System.out.printf("3000 random boxes: %d matched, %d fit no prior shape, %d fit a shape off its grid%n",
                kinds[0], kinds[1], kinds[2]);
        assertTrue(kinds[0] > 0 && kinds[1] > 0, java.util.Arrays.toString(kinds));
    }

    @Test
    void aThinBoxIsToldItsShapeNotItsSize() throws IOException {
        Model m = Model.open(TestData.reference("mb2-ssd-lite-random-4.pth"), null);
        // the walkthrough's strip: 5000x40 stretched to 300x300, box 10,5,100,30 -> 5.4 x 187.5 px
        DetectorOutput out = blankInput(m, 5000, 40);
        PriorQuery q = out.query(new Box(10, 5, 100, 30), 5);
        assertFalse(q.matched());
        // sqrt(5.4 * 187.5) = 32 px is under the smallest prior's 60, but no size helps a 1:35 box:
        // the nearest prior shape (1:3), at the best size, reaches q / (2 - q) with q = sqrt(3 * 5.4 / 187.5)
        double qq = Math.sqrt(3 * 5.4 / 187.5);
        String v = q.verdict();
        assertTrue(v.startsWith("no prior of this model fits: 5x188 px in the 300x300 network input has a shape "
                + "(w:h 1:34.7) far from every prior's (w:h 1:3, 1:2, 1:1, 2:1, 3:1; clipped border priors aside): "
                + "a prior of the nearest shape "
                + "(w:h 1:3) reaches at most IoU " + String.format(java.util.Locale.ROOT, "%.2f", qq / (2 - qq))), v);
        assertFalse(v.contains("smaller") || v.contains("larger"), v);
        // a box of a prior's shape that is genuinely too small is told its size, not its shape
        PriorQuery small = out.query(new Box(10, 10, 10 + 30 * 5000 / 300.0, 10 + 15 * 40 / 300.0), 5);
        assertTrue(small.verdict().contains("30x15 px in the 300x300 network input (21 px a side by area) is "
                + "smaller than the smallest prior (60 px a side)"), small.verdict());
        assertFalse(small.verdict().contains("shape ("), small.verdict());
        // and a 12x6 box (2:1, a prior's shape) in a square image: its size alone
        DetectorOutput o2 = blankInput(m, 300, 300);
        PriorQuery tiny = o2.query(new Box(100, 100, 112, 106), 5);
        assertTrue(tiny.verdict().contains("is smaller than the smallest prior (60 px a side)"), tiny.verdict());
    }

    /**
     * The 300x300 network's output on an all-zero input, for an image of {@code width x height}
     * (prior queries depend on the priors and the image's size, not on what the image shows).
     */
    private static DetectorOutput blankInput(Model m, int width, int height) {
        return m.detectInput(new float[300 * 300 * 3], new LoadedImage(null, width, height, new byte[0]));
    }
}

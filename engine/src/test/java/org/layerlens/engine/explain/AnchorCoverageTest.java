package org.layerlens.engine.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.TestData;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.image.Heatmaps;

/**
 * Anchor coverage on a folder of hand-written Pascal VOC files whose best-prior IoUs are worked out
 * by hand below from pytorch-ssd's mb2-ssd-lite priors (300x300 input; head 0: 19x19 cells 16 px
 * apart, centres at 8 + 16 i; small prior 60x60, large sqrt(60 * 105) = 79.4, ratio 2: 84.9x42.4
 * and 42.4x84.9, ratio 3: 103.9x34.6 and 34.6x103.9). VOC coordinates are 1-based: the file says
 * x + 1 for a box edge at pixel x.
 */
class AnchorCoverageTest {
    static Model model;

    @BeforeAll
    static void load() throws IOException {
        model = TestData.defaultModel();
    }

    static String voc(String file, Integer w, Integer h, String... objects) {
        StringBuilder sb = new StringBuilder("<annotation>\n  <filename>" + file + "</filename>\n");
        if (w != null) {
            sb.append("  <size><width>").append(w).append("</width><height>").append(h)
                    .append("</height><depth>3</depth></size>\n");
        }
        for (String o : objects) {
            sb.append(o);
        }
        return sb.append("</annotation>\n").toString();
    }

    /** An object with its box in 0-based pixel edges (written 1-based, as VOC does). */
    static String obj(String name, double x1, double y1, double x2, double y2) {
        return String.format(Locale.ROOT, "  <object><name>%s</name><difficult>0</difficult><bndbox><xmin>%s</xmin>"
                + "<ymin>%s</ymin><xmax>%s</xmax><ymax>%s</ymax></bndbox></object>\n", name, x1 + 1, y1 + 1, x2 + 1,
                y2 + 1);
    }

    @Test
    void handComputedBestPriorIous(@TempDir Path dir) throws IOException {
        // a: exactly head 0's small prior of cell (9, 9): centre 8 + 16 * 9 = 152, 60x60 -> IoU 1, size 60, aspect 1
        // b: 20x20 around the same centre: inside the 60x60 prior -> 400 / 3600 = 0.111 (no prior is smaller;
        //    the ratio priors have the same area and also hold it), size 20
        Files.writeString(dir.resolve("a.xml"), voc("a.png", 300, 300, obj("square", 122, 122, 182, 182),
                obj("circle", 142, 142, 162, 162)));
        // c: 120x40 around (152, 152): the ratio-3 prior 103.9x34.6 lies inside it -> 3600 / 4800 = 0.75;
        //    (ratio 2: 84.9 * 40 / (4800 + 3600 - 3394) = 0.678), size sqrt(4800) = 69.3, aspect 3
        Files.writeString(dir.resolve("c.xml"), voc("c.png", 300, 300, obj("triangle", 92, 132, 212, 172)));
        // d: a 600x300 image stretched to 300x300: 120x60 image pixels around (304, 152) are the 60x60
        //    prior of cell (9, 9) in the network's pixels -> IoU 1, size 60, aspect 1 (2 in the image)
        Files.writeString(dir.resolve("d.xml"), voc("d.png", 600, 300, obj("circle", 244, 122, 364, 182)));
        // e: no <size>: the image beside it (300x300) gives it; 30x30 around (152, 152): 900 / 3600 = 0.25
        Files.writeString(dir.resolve("e.xml"), voc("e.png", null, null, obj("square", 137, 137, 167, 167)));
        Heatmaps.write(dir.resolve("e.png"), new byte[300 * 300 * 3], 300, 300);
        // files that cannot be used: skipped, one warning each
        Files.writeString(dir.resolve("f.xml"), voc("f.png", 300, 300, obj("dog", 10, 10, 100, 100)));
        Files.writeString(dir.resolve("g.xml"), voc("g.png", 300, 300, obj("circle", 50, 50, 50, 80)));
        Files.writeString(dir.resolve("h.xml"), "<annotation><object>");
        Files.writeString(dir.resolve("i.xml"), voc("i.png", 300, 300, obj("circle", 250, 250, 350, 290)));
        Files.writeString(dir.resolve("j.xml"), voc("j.png", null, null, obj("circle", 10, 10, 40, 40)));
        // k: a usable box beside one outside the image, one of no area and one of another class: the usable
        //    one measured (b's 20x20 around cell (9, 9): 0.111), the other three left out with a warning each
        Files.writeString(dir.resolve("k.xml"), voc("k.png", 300, 300, obj("circle", 142, 142, 162, 162),
                obj("square", 280, 10, 320, 40), obj("triangle", 5, 5, 5, 30), obj("dog", 1, 1, 50, 50)));

        List<String> warnings = new ArrayList<>();
        AnchorCoverage.Result r = AnchorCoverage.read(model, dir, warnings::add, null, null);
        Map<String, AnchorCoverage.Entry> byLabel = r.entries().stream()
                .collect(Collectors.toMap(e -> e.file() + ":" + e.label(), e -> e));
        assertEquals(6, r.entries().size(), r.entries().toString());
        check(byLabel.get("k.xml:circle"), 400.0 / 3600, 20, 1, 0);
        check(byLabel.get("a.xml:square"), 1.0, 60, 1, 0);
        check(byLabel.get("a.xml:circle"), 400.0 / 3600, 20, 1, 0);
        check(byLabel.get("c.xml:triangle"), 0.75, Math.sqrt(4800), 3, 0);
        check(byLabel.get("d.xml:circle"), 1.0, 60, 1, 0);
        check(byLabel.get("e.xml:square"), 0.25, 30, 1, 0);
        assertEquals(0.5, r.matchThreshold());
        assertEquals(3, r.matched());
        assertEquals(0.5, r.share(), 1e-12);
        // sizes: 20, 20 -> 16-24; 30 -> 24-32; 60, 60 -> 48-64; 69.3 -> 64-96
        assertEquals(List.of(0, 2, 1, 0, 2, 1, 0, 0, 0), r.bySize().stream().map(AnchorCoverage.Bin::boxes).toList());
        assertEquals(List.of(0, 0, 0, 0, 2, 1, 0, 0, 0), r.bySize().stream().map(AnchorCoverage.Bin::matched).toList());
        assertEquals("16-24px", r.bySize().get(1).name());
        // aspect: five square boxes in 2/3-3/2, c at 3 in ">= 3"
        assertEquals(List.of(0, 0, 0, 5, 0, 0, 1), r.byAspect().stream().map(AnchorCoverage.Bin::boxes).toList());
        assertEquals("2/3-3/2", r.byAspect().get(3).name());
        assertEquals(">= 3", r.byAspect().get(6).name());
        assertEquals((1.0 + 400.0 / 3600 + 1.0 + 0.25 + 400.0 / 3600) / 5, r.byAspect().get(3).meanBestIou(), 1e-6);

        assertEquals(8, warnings.size(), warnings.toString());
        String all = String.join("\n", warnings);
        assertTrue(all.contains("f.xml: names dog, which the model does not have (it has circle, square, triangle)"), all);
        assertTrue(all.contains("g.xml: the circle box 51,51,51,81 has no area"), all); // as the file writes it
        assertTrue(all.contains("h.xml: not a readable VOC annotation"), all);
        assertTrue(all.contains("i.xml: the circle box 251,251,351,291 reaches outside the 300x300 image"), all);
        assertTrue(all.contains("j.xml: no <size> in the annotation and no image beside it"), all);
        assertEquals(5, r.skipped().size());
        // k.xml: the file measured, its three unusable boxes named one line each
        assertTrue(all.contains("k.xml: names dog, which the model does not have (it has circle, square, triangle); "
                + "those boxes skipped"), all);
        assertTrue(all.contains("k.xml: the square box 281,11,321,41 reaches outside the 300x300 image; box skipped"), all);
        assertTrue(all.contains("k.xml: the triangle box 6,6,6,31 has no area; box skipped"), all);
        assertEquals(3, r.skippedBoxes().size(), r.skippedBoxes().toString());
        assertEquals(5, r.files());
        for (String w : warnings) {
            assertTrue(w.endsWith("skipped") && !w.contains("\n"), w);
        }
        var json = r.toJson();
        assertEquals(6, json.get("boxes").getAsInt());
        assertEquals(0.5, json.get("share").getAsDouble(), 1e-9);
        assertEquals(6, json.getAsJsonArray("objects").size());
        assertEquals(3, json.getAsJsonArray("skippedBoxes").size());
        assertEquals(6, json.getAsJsonArray("headSmallestPrior").size());
        assertEquals(60.0, json.getAsJsonArray("headSmallestPrior").get(0).getAsDouble(), 1e-3);
    }

    private static void check(AnchorCoverage.Entry e, double iou, double size, double aspect, int head) {
        assertEquals(iou, e.bestIou(), 1e-5, e.toString());
        assertEquals(size, e.size(), 1e-6, e.toString());
        assertEquals(aspect, e.aspect(), 1e-9, e.toString());
        assertEquals(head, e.head(), e.toString());
    }

    /**
     * Every box of a real dataset against reference/anchor_coverage.py (NumPy, float64, its own
     * priors and IoU): .ci/run makes it for the default model's test split (LAYERLENS_TEST_SPLIT,
     * LAYERLENS_COVERAGE_REF); skipped where those are unset.
     */
    @Test
    void everyBoxOfTheTestSplitMatchesNumPy() throws IOException {
        String split = System.getenv().getOrDefault("LAYERLENS_TEST_SPLIT", System.getProperty("layerlens.test.split", ""));
        String ref = System.getenv().getOrDefault("LAYERLENS_COVERAGE_REF", System.getProperty("layerlens.coverage.ref", ""));
        org.junit.jupiter.api.Assumptions.assumeTrue(!split.isBlank() && !ref.isBlank(),
                "set LAYERLENS_TEST_SPLIT and LAYERLENS_COVERAGE_REF (reference/anchor_coverage.py)");
        AnchorCoverage.Result r = AnchorCoverage.read(model, Path.of(split), null, null, null);
        var objs = com.google.gson.JsonParser.parseString(Files.readString(Path.of(ref))).getAsJsonObject()
                .getAsJsonArray("objects");
        assertEquals(objs.size(), r.entries().size(), "boxes");
        double worst = 0;
        int matched = 0;
        for (int i = 0; i < objs.size(); i++) {
            var o = objs.get(i).getAsJsonObject();
            AnchorCoverage.Entry e = r.entries().get(i);
            assertEquals(o.get("file").getAsString(), e.file());
            assertEquals(o.get("label").getAsString(), e.label());
            assertEquals(o.get("box").getAsJsonArray().get(0).getAsDouble(), e.box().x1(), 1e-4);
            assertEquals(o.get("size").getAsDouble(), e.size(), 1e-6 * e.size(), e.toString());
            double want = o.get("bestIou").getAsDouble();
            worst = Math.max(worst, Math.abs(want - e.bestIou()));
            // both sides agree on the threshold wherever the value is not within float rounding of it
            if (Math.abs(want - 0.5) > 1e-5) {
                assertEquals(want >= 0.5, e.bestIou() >= 0.5, e.toString());
            }
            matched += want >= 0.5 ? 1 : 0;
        }
        System.out.printf("%s: %d boxes, %d (%.1f%%) with a prior at 0.5 by NumPy, %d by LayerLens; best IoU within "
                + "%.1e%n", split, objs.size(), matched, 100.0 * matched / objs.size(), r.matched(), worst);
        assertTrue(worst <= 1e-5, "best IoUs differ by " + worst);
    }

    @Test
    void aFolderWithoutAnnotationsOrOfOtherClassesIsOneLine(@TempDir Path dir) throws IOException {
        IOException none = assertThrows(IOException.class, () -> AnchorCoverage.read(model, dir, null, null, null));
        assertEquals(dir + ": no Pascal VOC .xml annotations in this folder", none.getMessage());
        // a VOC tree given by its top: the subfolders named, as the other folder commands do
        Files.createDirectories(dir.resolve("Annotations"));
        IOException top = assertThrows(IOException.class, () -> AnchorCoverage.read(model, dir, null, null, null));
        assertEquals(dir + ": no Pascal VOC .xml annotations in the folder itself; subfolders are not read "
                + "(Annotations/): give the folder that holds the annotations", top.getMessage());
        Files.writeString(dir.resolve("a.xml"), voc("a.png", 300, 300, obj("dog", 10, 10, 100, 100)));
        Files.writeString(dir.resolve("b.xml"), voc("b.png", 300, 300, obj("cat", 10, 10, 100, 100)));
        List<String> warnings = new ArrayList<>();
        IOException other = assertThrows(IOException.class,
                () -> AnchorCoverage.read(model, dir, warnings::add, null, null));
        assertEquals(dir + ": the annotations name dog, cat but " + model.name() + " has the classes circle, "
                + "square, triangle: nothing to measure (pass --labels with the dataset's class names)",
                other.getMessage());
        assertEquals(List.of(), warnings, "one line, not one per file");
        IOException notDir = assertThrows(IOException.class,
                () -> AnchorCoverage.read(model, dir.resolve("a.xml"), null, null, null));
        assertTrue(notDir.getMessage().endsWith("a.xml: not a folder"));
    }
}

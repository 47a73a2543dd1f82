package org.layerlens.engine.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.layerlens.engine.TestData;
import org.layerlens.engine.api.Box;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;

/** Comparing a pass on an image with a pass on its mirror image, B flipped back first. */
class MirrorCompareTest {
    static Model four;
    static LoadedImage coffee;
    static LoadedImage mirrored;

    @BeforeAll
    static void load() throws IOException {
        four = Model.open(TestData.reference("mb2-ssd-lite-random-4.pth"), null);
        coffee = Images.read(TestData.sampleImage("coffee.png"));
        byte[] px = new byte[coffee.rgb().length];
        int w = coffee.width();
        for (int y = 0; y < coffee.height(); y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(coffee.rgb(), (y * w + x) * 3, px, (y * w + (w - 1 - x)) * 3, 3);
            }
        }
        mirrored = new LoadedImage(null, w, coffee.height(), px);
    }

    @Test
    void figuresAreThoseOfTheFlippedBackMapsWritten() {
        Comparer.Options o = Comparer.Options.DEFAULT.mirrored();
        try (Inspection a = four.inspect(coffee, null, null); Inspection b = four.inspect(mirrored, null, null)) {
            Comparison c = Comparer.of(a, b, "A", "B", "coffee.png", "mirrored", o, null);
            assertEquals(c.modules().size(), c.comparedCount(), "every module of the same shape is compared");
            for (String path : new String[] {"base_net.0.0", "base_net.0.1", "base_net.6.conv.5", "extras.1"}) {
                LayerData x = a.layer(path);
                LayerData y = b.layer(path);
                float[] back = new float[y.values.length];
                for (int yy = 0; yy < y.height; yy++) {
                    for (int xx = 0; xx < y.width; xx++) {
                        for (int ch = 0; ch < y.channels; ch++) {
                            back[(yy * y.width + xx) * y.channels + ch] = y.value(ch, yy, y.width - 1 - xx);
                        }
                    }
                }
                LayerMetrics want = LayerMetrics.of(x.values, back);
                LayerMetrics got = c.module(path).metrics();
                // compare measures in native memory (OpenCV: differences in float, sums of float
                // blocks in double), this reference in double: float rounding apart
                assertEquals(want.maxAbs(), got.maxAbs(), 1e-6 * Math.max(1e-30, want.maxAbs()), path);
                assertEquals(want.sqnrDb(), got.sqnrDb(), 1e-4, path);
                assertEquals(want.cosine(), got.cosine(), 1e-6, path);
                LayerData d = Comparer.difference(a, b, path, true);
                assertEquals(want.maxAbs(), d.stats().max(), 1e-6, path + " |A-B| of the flipped-back map");
            }
            // without flipping back, the same maps are far further apart
            Comparison raw = Comparer.of(a, b, "A", "B", "coffee.png", "mirrored", Comparer.Options.DEFAULT, null);
            assertTrue(raw.module("base_net.0.0").metrics().maxAbs() > c.module("base_net.0.0").metrics().maxAbs());
            // max|a - flip(b)| = max|flip(a) - b|: the two directions agree
            Comparison back = Comparer.of(b, a, "B", "A", "mirrored", "coffee.png", o, null);
            for (ModuleComparison m : c.modules()) {
                assertEquals(m.metrics().maxAbs(), back.module(m.path()).metrics().maxAbs(),
                        1e-6 * Math.max(1, m.metrics().maxAbs()), m.path());
            }
        }
    }

    /**
     * What compare and stats read into their reused buffer is what {@link Inspection#layer} gives,
     * for every module: also for the batch norm and activation outputs an inspect pass does not
     * keep but computes again when asked (read straight from their buffer slot they were another
     * value's data).
     */
    @Test
    void readIntoGivesEveryModulesOutputAsLayerDoes() {
        try (Inspection a = four.inspect(coffee, null, null)) {
            float[] buf = new float[a.largestOutput()];
            int checked = 0;
            for (String path : a.events().keySet()) {
                LayerData d = a.layer(path);
                int n = a.readInto(path, buf);
                if (d == null) {
                    assertEquals(-1, n, path);
                    continue;
                }
                assertEquals(d.values.length, n, path);
                // a module the pass did not keep is computed again by each call: the same ops on
                // the same input, but two computations (TestData.sameArithmetic: within 1e-6 of
                // the largest value); another value's data would be far off
                TestData.sameArithmetic(path, d.values, java.util.Arrays.copyOf(buf, n));
                checked++;
            }
            assertTrue(checked > 150, "modules checked: " + checked);
        }
    }

    /** An image and its copy at half the size: B's boxes scaled into A's frame pair with A's (the trained model). */
    @Test
    void aResizedCopysDetectionsPairInTheFirstImagesFrame() throws IOException {
        Model trained = TestData.defaultModel();
        LoadedImage a = Images.read(TestData.sampleImage("shapes-01.png"));
        org.opencv.core.Mat rgb = new org.opencv.core.Mat(a.height(), a.width(), org.opencv.core.CvType.CV_8UC3);
        rgb.put(0, 0, a.rgb());
        org.opencv.core.Mat half = new org.opencv.core.Mat();
        org.opencv.imgproc.Imgproc.resize(rgb, half, new org.opencv.core.Size(a.width() / 2, a.height() / 2), 0, 0,
                org.opencv.imgproc.Imgproc.INTER_AREA);
        byte[] px = new byte[(int) half.total() * 3];
        half.get(0, 0, px);
        LoadedImage b = new LoadedImage(null, half.cols(), half.rows(), px);
        Comparison c = Comparer.images(trained, a, b, Comparer.Options.DEFAULT, Progress.NONE, null);
        assertFalse(c.detectionsA().isEmpty());
        assertEquals(c.detectionsA().size(), c.detectionsB().size());
        for (DetectionPair p : c.pairs()) {
            assertTrue(p.a() != null && p.b() != null && p.iou() > 0.9, "paired in A's frame: " + p);
        }
    }

    /**
     * A photo kept smaller than its file (over 16 megapixels): its boxes are in the file's pixels,
     * so B's are reflected about the file's width. Reflected about the kept width, every B box lay
     * (file width - kept width) to the left and none paired (a 6000 x 6000 photo kept at 4000).
     */
    @Test
    void aShrunkPhotosMirrorPairsInTheFilesFrame() throws IOException {
        Model trained = TestData.defaultModel();
        LoadedImage read = Images.read(TestData.sampleImage("shapes-01.png"));
        int w = read.width();
        int h = read.height();
        // as Images.read keeps a photo three times the size: the file's size is the original
        LoadedImage a = new LoadedImage(read.source(), w, h, read.rgb(), 3 * w, 3 * h);
        byte[] px = new byte[read.rgb().length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(read.rgb(), (y * w + x) * 3, px, (y * w + (w - 1 - x)) * 3, 3);
            }
        }
        LoadedImage b = new LoadedImage(null, w, h, px, 3 * w, 3 * h);
        Comparison c = Comparer.images(trained, a, b, Comparer.Options.DEFAULT.mirrored(), Progress.NONE, null);
        assertFalse(c.detectionsA().isEmpty());
        for (DetectionPair p : c.pairs()) {
            String says = (p.a() == null ? "-" : p.a().label() + " " + p.a().box()) + " / "
                    + (p.b() == null ? "-" : p.b().label() + " " + p.b().box());
            assertTrue(p.a() != null && p.b() != null && p.iou() > 0.8, "paired in the file's frame: " + says);
        }
        assertTrue(c.detectionsA().stream().anyMatch(d -> d.x2() > w), "boxes in the file's pixels, past the kept width");
    }

    @Test
    void boxesAreReflectedIntoTheOriginalFrame() {
        Box b = new Box(10, 20, 50, 80);
        Box m = Mirror.box(b, 300);
        assertEquals(new Box(250, 20, 290, 80), m);
        assertEquals(b, Mirror.box(m, 300));
        try (Inspection x = four.inspect(mirrored, null, null)) {
            for (Detection d : x.output().detections(0.2)) {
                Detection r = Mirror.detection(d, mirrored.width());
                assertEquals(mirrored.width() - d.x2(), r.x1(), 1e-9);
                assertEquals(d.y2(), r.y2(), 0);
                assertEquals(mirrored.width() - d.provenance().decoded().x1(), r.provenance().decoded().x2(), 1e-9);
                assertFalse(r.provenance().priorIndex() < 0);
            }
        }
    }
}

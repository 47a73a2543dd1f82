package org.layerlens.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.TestData;
import org.layerlens.engine.analysis.Comparer;
import org.layerlens.engine.analysis.Comparison;
import org.layerlens.engine.analysis.LayerMetrics;
import org.layerlens.engine.analysis.ModuleComparison;
import org.layerlens.engine.analysis.Progress;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;

/** Compare mode's view model without a window: real engine, real files, a plain thread as the UI thread. */
class CompareViewModelTest {
    private final Fixtures fx = new Fixtures();
    private InspectorViewModel vm;
    private CompareViewModel cmp;

    @AfterEach
    void close() throws Exception {
        if (vm != null) {
            fx.onUi(vm::close);
        }
        fx.close();
    }

    private void open(InspectorViewModel.ModelLoader loader) throws Exception {
        vm = new InspectorViewModel(loader, fx.services());
        cmp = vm.compare();
        fx.onUi(() -> vm.open(Fixtures.randomModel().toString(), null, Fixtures.sample("coffee.png")));
        fx.await(120, "the first result", () -> vm.inspectionProperty().get() != null);
    }

    private CompareViewModel.Result compare(CompareSource s) throws Exception {
        fx.onUi(() -> cmp.start(s));
        fx.await(120, "the comparison", () -> !cmp.runningProperty().get() && !cmp.busy());
        CompareViewModel.Result r = fx.onUi(() -> cmp.resultProperty().get());
        assertNotNull(r, fx.onUi(() -> cmp.statusProperty().get()));
        return r;
    }

    @Test
    void aChangedLayerIsTheFirstDivergentModuleAndTheColumnSaysSo() throws Exception {
        open(Fixtures::load);
        Model changed = Fixtures.changedLayer();
        CompareViewModel.Result r = compare(new CompareSource.Loaded(changed));
        assertEquals("base_net.7.conv.3", fx.onUi(() -> cmp.firstDivergentProperty().get()));
        // the engine's own comparison of two fresh passes gives the same figures, within float
        // rounding (the window's pass A computes batch norm and activation outputs again on
        // reading and those are measured in Java; the engine's, held by both passes, by OpenCV)
        Model base = Model.open(Fixtures.randomModel(), null);
        Comparison want = Comparer.models(base, changed, Images.read(Fixtures.sample("coffee.png")),
                Comparer.Options.DEFAULT, Progress.NONE, null);
        assertEquals(want.modules().size(), r.comparison().modules().size());
        boolean before = true;
        for (ModuleComparison m : want.modules()) {
            ModuleComparison got = r.comparison().module(m.path());
            assertEquals(m.metrics().relErr(), got.metrics().relErr(), 1e-6 * m.metrics().relErr(), m.path());
            CompareViewModel.Cell cell = fx.onUi(() -> cmp.cell(m.path()));
            if (m.path().equals("base_net.7.conv.3")) {
                before = false;
                assertEquals(CompareViewModel.Level.FIRST, cell.level());
                assertTrue(cell.tooltip().contains("first module past the tolerance"), cell.tooltip());
                assertTrue(cell.bar() > 0.5, "a relative error of " + m.metrics().relErr() + " draws a long bar");
            } else if (before) {
                assertEquals(0, got.metrics().maxAbs(), m.path() + " moved before the changed layer");
                assertEquals(new CompareViewModel.Cell("0", 0, CompareViewModel.Level.WITHIN, cell.tooltip()), cell);
            }
        }
        LayerMetrics x = r.comparison().module("base_net.7.conv.3").metrics();
        System.out.printf(java.util.Locale.ROOT, "changed layer in the window: relative error %.4g, SQNR %.1f dB; "
                + "A's and B's passes %d ms, figures %d ms%n", x.relErr(), x.sqnrDb(), r.passMillis(), r.compareMillis());

        // SQNR instead: identical modules are infinite, the changed one finite
        fx.onUi(() -> cmp.metricProperty().set(CompareViewModel.Metric.SQNR));
        assertEquals("∞ dB", fx.onUi(() -> cmp.cell("base_net.0.0")).text());
        assertTrue(fx.onUi(() -> cmp.cell("base_net.7.conv.3")).text().matches("\\d+\\.\\d dB"));
        // a looser tolerance moves the first divergent module past the changed layer, without a new pass
        fx.onUi(() -> cmp.toleranceProperty().set(0.1));
        String later = fx.onUi(() -> cmp.firstDivergentProperty().get());
        assertNotEquals("base_net.7.conv.3", later);
        for (ModuleComparison m : r.comparison().modules()) {
            if (m.path().equals(later)) {
                assertTrue(m.metrics().relErr() > 0.1);
                break;
            }
            assertFalse(m.comparable() && m.metrics().relErr() > 0.1, m.path());
        }
        assertSame(r, fx.onUi(() -> cmp.resultProperty().get()), "no new pass for a new tolerance");
        // and the jump goes there
        fx.onUi(() -> cmp.toleranceProperty().set(1e-3));
        assertTrue(fx.onUi(cmp::goToFirstDivergent));
        assertEquals("base_net.7.conv.3", fx.onUi(() -> vm.selectedPathProperty().get()));
    }

    @Test
    void theReferenceCheckpointWrittenByPyTorchGivesTheSameFigures() throws Exception {
        String dir = System.getenv("LAYERLENS_ANALYSIS_DIR");
        org.junit.jupiter.api.Assumptions.assumeTrue(dir != null && !dir.isBlank(),
                "set LAYERLENS_ANALYSIS_DIR (made by reference/make_analysis.py)");
        open(Fixtures::load);
        Path file = Path.of(dir, "changed.pth");
        CompareViewModel.Result fromFile = compare(new CompareSource.ModelRef(file.toString()));
        assertEquals("base_net.7.conv.3", fx.onUi(() -> cmp.firstDivergentProperty().get()));
        Model editedModel = Fixtures.changedLayer();
        // torch.save's float32 x1.5 and ours are the same rounding of the same product: the same bits
        Model fileModel = Fixtures.load(file.toString(), null);
        for (String name : List.of("weight", "bias")) {
            if (fileModel.tree().find("base_net.7.conv.3").params().get(name) != null) {
                assertTrue(java.util.Arrays.equals(Fixtures.param(fileModel.tree(), "base_net.7.conv.3", name),
                        Fixtures.param(editedModel.tree(), "base_net.7.conv.3", name)), name);
            }
        }
        CompareViewModel.Result edited = compare(new CompareSource.Loaded(editedModel));
        for (ModuleComparison m : fromFile.comparison().modules()) {
            // the same weights, but figures of other passes (two comparisons), which oneDNN may
            // sum in another order: values within TestData.OTHER_PASS of the largest move
            // ||A-B|| / ||A|| by about as much
            assertEquals(m.metrics().relErr(), edited.comparison().module(m.path()).metrics().relErr(),
                    TestData.OTHER_PASS, m.path());
        }
    }

    @Test
    void theMirroredImageIsComparedFlippedBackAndTheDifferenceIsTheSelectedModules(@TempDir Path tmp)
            throws Exception {
        open(Fixtures::load);
        fx.onUi(() -> vm.select("base_net.1.conv.0"));
        CompareViewModel.Result r = compare(new CompareSource.Variant(ImageVariants.Kind.MIRRORED, 0));
        assertTrue(r.mirrored());
        fx.await(60, "the difference", () -> cmp.difference().tilesProperty().get() != null
                && !cmp.difference().busy());
        DifferenceViewModel.Layer d = fx.onUi(() -> cmp.difference().layerProperty().get());
        assertEquals("base_net.1.conv.0", d.path());
        // by hand: the image flipped with a loop, its pass, the map flipped back with a loop
        LoadedImage img = Images.read(Fixtures.sample("coffee.png"));
        byte[] px = new byte[img.rgb().length];
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                System.arraycopy(img.rgb(), (y * img.width() + x) * 3, px, (y * img.width() + img.width() - 1 - x) * 3, 3);
            }
        }
        assertTrue(java.util.Arrays.equals(px, r.imageB().rgb()), "OpenCV's flip is the mirror image");
        Model m = Model.open(Fixtures.randomModel(), null);
        // inspect-all passes, as compare runs (every module's own unfused value)
        try (Inspection a = m.inspectAll(img, null, null);
             Inspection b = m.inspectAll(new LoadedImage(null, img.width(), img.height(), px), null, null)) {
            LayerData la = a.layer("base_net.1.conv.0");
            LayerData lb = b.layer("base_net.1.conv.0");
            // these passes ran on the test thread with the engine's threads, the window's side by
            // side with a share each: oneDNN may sum in another order, so each of A and B is within
            // TestData.OTHER_PASS * max(1, max|A|, max|B|) of the window's, and |A-B| twice that
            double scale = 1;
            for (int i = 0; i < la.values.length; i++) {
                scale = Math.max(scale, Math.max(Math.abs(la.values[i]), Math.abs(lb.values[i])));
            }
            double tol = 2 * TestData.OTHER_PASS * scale;
            float max = 0;
            for (int y = 0; y < la.height; y++) {
                for (int x = 0; x < la.width; x++) {
                    for (int c = 0; c < la.channels; c++) {
                        float want = Math.abs(la.value(c, y, x) - lb.value(c, y, la.width - 1 - x));
                        assertEquals(want, d.diff().value(c, y, x), tol);
                        max = Math.max(max, want);
                    }
                }
            }
            assertEquals(max, d.diffMax(), tol);
            // of the same passes: the engine takes the difference in double, the window in float,
            // one float rounding apart
            assertEquals(d.diffMax(), r.comparison().module("base_net.1.conv.0").metrics().maxAbs(),
                    1e-6 * d.diffMax());
        }
        // the gallery of differences: one tile per channel in the mosaic
        int c = d.channels() - 1;
        assertTrue(d.tileX(c) + d.tileW() <= d.mosaic().width() && d.tileY(c) + d.tileH() <= d.mosaic().height());
        DifferenceViewModel.Tiles t = fx.onUi(() -> cmp.difference().tilesProperty().get());
        assertEquals(fx.onUi(() -> vm.layer().selectedChannelProperty().get()), t.channel());
        assertEquals(d.diff().channelMax(t.channel()), t.channelDiffMax(), 0);
        // the window's next image is compared again, with the same source
        fx.onUi(() -> vm.openImage(Fixtures.sample("astronaut.png")));
        fx.await(120, "the new comparison", () -> {
            CompareViewModel.Result n = cmp.resultProperty().get();
            return n != null && n != r && n.run().image().name().equals("astronaut.png");
        });
    }

    @Test
    void anotherImageAndVariantsMadeWithOpenCv(@TempDir Path tmp) throws Exception {
        LoadedImage img = Images.read(Fixtures.sample("coffee.png"));
        LoadedImage dark = ImageVariants.darker(img, 0.5);
        for (int i = 0; i < img.rgb().length; i += 101) {
            int want = (int) Math.min(255, Math.rint((img.rgb()[i] & 0xff) * 0.5));
            assertEquals(want, dark.rgb()[i] & 0xff, 1, "byte " + i); // OpenCV rounds half to even
        }
        double coarse = meanAbs(img, ImageVariants.jpeg(img, 10));
        double fine = meanAbs(img, ImageVariants.jpeg(img, 95));
        assertTrue(coarse > fine && fine > 0, "JPEG error at quality 10: " + coarse + ", at 95: " + fine);
        assertTrue(ImageVariants.jpegBytes(img, 10) < ImageVariants.jpegBytes(img, 95));

        open(Fixtures::load);
        CompareViewModel.Result r = compare(new CompareSource.Variant(ImageVariants.Kind.JPEG, 10));
        assertFalse(r.mirrored());
        assertNull(r.comparison().module("base_net.0.0").reason());
        assertTrue(r.comparison().module("base_net.0.0").metrics().maxAbs() > 0);
        CompareViewModel.Result other = compare(new CompareSource.ImageFile(Fixtures.sample("shapes-01.png")));
        assertEquals("shapes-01.png", other.comparison().imageB());
        assertEquals("base_net.0.0", fx.onUi(() -> cmp.firstDivergentProperty().get()));
    }

    private static double meanAbs(LoadedImage a, LoadedImage b) {
        double s = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            s += Math.abs((a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff));
        }
        return s / a.rgb().length;
    }

    @Test
    void theInt8WhatIfHasNoCounterpartForTheFusedModules() throws Exception {
        open(Fixtures::load);
        DatasetStatsViewModel stats = vm.datasetStats();
        Path dir = Files.createTempDirectory("ll-int8");
        for (String n : List.of("coffee.png", "shapes-01.png")) {
            Files.copy(Fixtures.sample(n), dir.resolve(n));
        }
        fx.onUi(() -> stats.start(dir));
        fx.await(300, "the statistics", () -> stats.runProperty().get() != null && !stats.busy());
        DatasetStatsViewModel.Run run = fx.onUi(() -> stats.runProperty().get());
        CompareViewModel.Result r = compare(new CompareSource.Int8Stats(run.model(), run.stats(), dir.toString(),
                org.layerlens.engine.analysis.Calibration.Choice.MINMAX,
                org.layerlens.engine.analysis.Int8Simulation.Weights.PER_CHANNEL));
        ModuleComparison conv = r.comparison().module("base_net.0.0");
        assertFalse(conv.comparable());
        assertEquals(conv.reason(), fx.onUi(() -> cmp.cell("base_net.0.0")).tooltip());
        assertEquals("—", fx.onUi(() -> cmp.cell("base_net.0.0")).text());
        assertTrue(r.comparison().module("base_net.0.2").comparable(), "the fused op's output is compared");
        // the same ranges through a calibration table written by the Dataset tab: the same figures
        Path table = dir.resolve("calibration.json");
        fx.onUi(() -> stats.exportCalibration(table, org.layerlens.engine.analysis.Calibration.Choice.MINMAX))
                .get(60, TimeUnit.SECONDS);
        CompareViewModel.Result fromFile = compare(new CompareSource.Int8File(table,
                org.layerlens.engine.analysis.Calibration.Choice.MINMAX,
                org.layerlens.engine.analysis.Int8Simulation.Weights.PER_CHANNEL));
        for (ModuleComparison m : r.comparison().modules()) {
            if (m.comparable()) {
                assertEquals(m.metrics().sqnrDb(), fromFile.comparison().module(m.path()).metrics().sqnrDb(), 1e-9,
                        m.path());
            }
        }
    }

    @Test
    void cancelKeepsThePreviousComparisonAndAFailureTurnsCompareModeOff(@TempDir Path tmp) throws Exception {
        // the slow model's load waits for its release; each cancelled run below gets a pair of its own
        CountDownLatch[] release = {new CountDownLatch(1)};
        CountDownLatch[] loading = {new CountDownLatch(1)};
        open((ref, labels) -> {
            if (ref.equals("slow")) {
                loading[0].countDown();
                assertTrue(release[0].await(60, TimeUnit.SECONDS));
            }
            return Fixtures.load(ref, labels);
        });
        // cancelled before anything was compared: compare mode goes off (it stayed on, and F5 ran it)
        fx.onUi(() -> cmp.start(new CompareSource.ModelRef("slow")));
        assertTrue(loading[0].await(30, TimeUnit.SECONDS));
        fx.onUi(cmp::cancel);
        release[0].countDown();
        fx.await(60, "the first cancelled job", () -> !cmp.runningProperty().get());
        assertNull(fx.onUi(() -> cmp.sourceProperty().get()), "nothing compared: compare mode is off");

        release[0] = new CountDownLatch(1);
        loading[0] = new CountDownLatch(1);
        CompareViewModel.Result first = compare(new CompareSource.Variant(ImageVariants.Kind.DARKER, 0.5));
        fx.onUi(() -> cmp.start(new CompareSource.ModelRef("slow")));
        assertTrue(loading[0].await(30, TimeUnit.SECONDS));
        assertTrue(fx.onUi(() -> cmp.runningProperty().get()));
        fx.onUi(cmp::cancel);
        release[0].countDown();
        fx.await(60, "the cancelled job", () -> !cmp.runningProperty().get());
        assertEquals("Cancelled", fx.onUi(() -> cmp.statusProperty().get()));
        assertSame(first, fx.onUi(() -> cmp.resultProperty().get()), "the previous comparison stays");
        org.junit.jupiter.api.Assertions.assertNotNull(fx.onUi(() -> cmp.sourceProperty().get()), "and compare mode");

        // a failure while the previous comparison is shown does not leave it there under the new B's name
        Path bad = Files.writeString(tmp.resolve("broken.pth"), "not a checkpoint");
        fx.onUi(() -> cmp.start(new CompareSource.ModelRef(bad.toString())));
        fx.await(60, "the failure", () -> !cmp.runningProperty().get() && vm.errorProperty().get() != null);
        String err = fx.onUi(() -> vm.errorProperty().get());
        assertTrue(err.contains("broken.pth") && err.lines().count() == 1, err);
        assertNull(fx.onUi(() -> cmp.sourceProperty().get()), "nothing to show: compare mode is off");
        assertNull(fx.onUi(() -> cmp.resultProperty().get()), "the previous comparison is gone");
        assertEquals("", fx.onUi(() -> cmp.firstDivergentProperty().get()));
    }
}

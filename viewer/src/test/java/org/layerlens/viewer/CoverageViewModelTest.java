package org.layerlens.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.api.Box;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.explain.AnchorCoverage;

/**
 * File ▸ Anchor Coverage of a Dataset… without a screen: a folder of VOC files written here (two
 * good, two bad), measured on a worker, the bad ones skipped with one warning, the best IoUs
 * recomputed here from the model's priors; Cancel; a folder with nothing to measure.
 */
class CoverageViewModelTest {
    private Fixtures fx = new Fixtures();
    private InspectorViewModel vm;
    private ExplainViewModel explain;
    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception {
        fx.onUi(vm::close);
        fx.close();
    }

    private void open() throws Exception {
        vm = new InspectorViewModel(Fixtures::load, fx.services());
        explain = fx.onUi(() -> new ExplainViewModel(vm));
        fx.onUi(() -> vm.openModel(Fixtures.randomModel().toString(), null));
        fx.await(60, "the model", () -> vm.modelProperty().get() != null);
    }

    static void voc(Path file, int w, int h, String... objects) throws Exception {
        StringBuilder s = new StringBuilder("<annotation><size><width>" + w + "</width><height>" + h
                + "</height><depth>3</depth></size>");
        for (String o : objects) {
            String[] p = o.split(" ");
            s.append("<object><name>").append(p[0]).append("</name><difficult>0</difficult><bndbox><xmin>")
                    .append(p[1]).append("</xmin><ymin>").append(p[2]).append("</ymin><xmax>").append(p[3])
                    .append("</xmax><ymax>").append(p[4]).append("</ymax></bndbox></object>");
        }
        Files.writeString(file, s.append("</annotation>").toString());
    }

    @Test
    void aFolderIsMeasuredAndItsBadFilesSkippedWithOneWarning() throws Exception {
        open();
        Model m = fx.onUi(() -> vm.modelProperty().get());
        String a = m.labels().get(1);
        String b = m.labels().get(2);
        voc(dir.resolve("a.xml"), 300, 200, a + " 10 20 110 120", b + " 150 50 290 190");
        voc(dir.resolve("b.xml"), 640, 480, a + " 100 100 164 132");
        voc(dir.resolve("outside.xml"), 300, 200, a + " 10 20 400 120");
        Files.writeString(dir.resolve("broken.xml"), "<annotation><object>");
        int noticesBefore = fx.onUi(() -> vm.notices().size());
        assertTrue(fx.onUi(() -> explain.coverage().measure(dir)));
        fx.await(60, "the coverage", () -> !explain.coverage().runningProperty().get());
        CoverageViewModel.Coverage c = fx.onUi(() -> explain.coverage().coverageProperty().get());
        AnchorCoverage.Result r = c.result();
        assertEquals(3, r.entries().size());
        assertEquals(2, r.files());
        assertEquals(2, r.skipped().size());
        double[][] boxes = {{10, 20, 110, 120, 300, 200}, {150, 50, 290, 190, 300, 200}, {100, 100, 164, 132, 640, 480}};
        for (int i = 0; i < 3; i++) {
            double[] q = boxes[i];
            float[] p = m.priorBoxes((int) q[4], (int) q[5]);
            // VOC counts pixels from 1: the engine's boxes are 0-based
            Box rel = new Box((q[0] - 1) / q[4], (q[1] - 1) / q[5], (q[2] - 1) / q[4], (q[3] - 1) / q[5]);
            double best = 0;
            for (int k = 0; k < p.length / 4; k++) {
                best = Math.max(best, rel.iou(new Box(p[4 * k], p[4 * k + 1], p[4 * k + 2], p[4 * k + 3])));
            }
            assertEquals(best, r.entries().get(i).bestIou(), 1e-9, "box " + i);
        }
        assertEquals(CoverageViewModel.CHART_WIDTH, c.chart().width());
        assertEquals(CoverageViewModel.CHART_HEIGHT, c.chart().height());
        List<Notice> added = fx.onUi(() -> List.copyOf(vm.notices().subList(noticesBefore, vm.notices().size())));
        assertEquals(1, added.size(), "one warning for every skipped file: " + added);
        assertEquals(Notice.Level.WARNING, added.get(0).level());
        assertTrue(added.get(0).text().contains("2 annotation file(s) skipped"), added.get(0).text());
        assertTrue(added.get(0).text().contains("outside.xml") && added.get(0).text().contains("broken.xml"));
        String status = fx.onUi(() -> explain.coverage().statusProperty().get());
        assertTrue(status.contains(r.matched() + " of 3 boxes") && status.contains("2 file(s) skipped"), status);
        assertNull(fx.onUi(() -> vm.errorProperty().get()));
    }

    @Test
    void cancelStopsTheMeasurement() throws Exception {
        fx.close();
        fx = new Fixtures(Executors.newSingleThreadExecutor()); // one worker: hold it, then queue the job
        open();
        voc(dir.resolve("a.xml"), 300, 200, fx.onUi(() -> vm.modelProperty().get().labels().get(1))
                + " 10 20 110 120");
        CountDownLatch hold = new CountDownLatch(1);
        fx.worker.execute(() -> {
            try {
                hold.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        fx.onUi(() -> explain.coverage().measure(dir));
        assertTrue(fx.onUi(() -> explain.coverage().runningProperty().get()));
        fx.onUi(() -> explain.coverage().cancel());
        hold.countDown();
        fx.await(60, "the cancelled job to end", () -> !explain.coverage().runningProperty().get());
        assertEquals("Cancelled", fx.onUi(() -> explain.coverage().statusProperty().get()));
        assertNull(fx.onUi(() -> explain.coverage().coverageProperty().get()));
        assertNull(fx.onUi(() -> vm.errorProperty().get()));
    }

    @Test
    void aFolderWithNothingToMeasureIsOneError() throws Exception {
        open();
        fx.onUi(() -> explain.coverage().measure(dir));
        fx.await(60, "the error", () -> vm.errorProperty().get() != null);
        String e = fx.onUi(() -> vm.errorProperty().get());
        assertTrue(e.contains(dir.toString()) && e.contains("no Pascal VOC .xml annotations"), e);
        assertEquals(1, e.lines().count());
        assertTrue(fx.onUi(() -> explain.coverage().statusProperty().get()).startsWith("Failed: "));
    }
}

package org.layerlens.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.TestImages;
import org.layerlens.engine.TestThreads;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.Model;
import org.layerlens.viewer.jobs.Once;

/**
 * The window's view model without a window: real engine, real files, a plain thread as the UI
 * thread. Jobs are held at a chosen point (a loader that waits, a module observer that waits) to
 * reproduce the races the window had.
 */
class InspectorViewModelTest {
    private Fixtures fx = new Fixtures();
    private InspectorViewModel vm;

    @AfterEach
    void close() throws Exception {
        if (vm != null) {
            fx.onUi(vm::close);
        }
        fx.close();
    }

    private void openCoffee() throws Exception {
        fx.onUi(() -> vm.open(Fixtures.randomModel().toString(), null, Fixtures.sample("coffee.png")));
        fx.await(120, "the first result", () -> vm.inspectionProperty().get() != null);
    }

    @Test
    void anImageOpenedWhileAModelLoadsRunsWithThatModelAndTheOldModelNeverComesBack() throws Exception {
        Path slow = Fixtures.randomModel21();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch loading = new CountDownLatch(1);
        vm = new InspectorViewModel((ref, labels) -> {
            if (ref.equals(slow.toString())) {
                loading.countDown();
                assertTrue(release.await(60, TimeUnit.SECONDS));
            }
            return Fixtures.load(ref, labels);
        }, fx.services());
        openCoffee();
        Model first = fx.onUi(() -> vm.modelProperty().get());
        List<RunResult> committed = Collections.synchronizedList(new ArrayList<>());
        fx.onUi(() -> vm.resultProperty().addListener((o, a, r) -> committed.add(r)));

        fx.onUi(() -> vm.openModel(slow.toString(), null));
        assertTrue(loading.await(30, TimeUnit.SECONDS), "the slow model is loading");
        fx.onUi(() -> vm.openImage(Fixtures.sample("astronaut.png")));
        // the image job (on a second worker) waits in Once.get() for the model the first job is loading
        TestThreads.awaitBlockedOn(Once.class, 30, "the image job waiting for the model being loaded");
        assertSame(first, fx.onUi(() -> vm.modelProperty().get()), "nothing committed while the model loads");
        assertTrue(fx.onUi(() -> vm.runningProperty().get()));
        release.countDown();
        fx.await(120, "the run to end", () -> !vm.runningProperty().get());

        Model now = fx.onUi(() -> vm.modelProperty().get());
        assertEquals(slow, now.source(), "the model opened last");
        assertEquals("astronaut.png", fx.onUi(() -> vm.imageProperty().get().name()), "the image opened last");
        assertSame(now, fx.onUi(() -> vm.inspectionProperty().get().model()));
        assertEquals(slow.toString(), fx.onUi(() -> vm.modelRefProperty().get()));
        assertEquals(1, committed.size(), "one commit: the superseded job's result was dropped, not shown");
        assertEquals(21, committed.get(0).model().classes());
    }

    @Test
    void cancelBelongsToTheLatestJobEvenWhenAnEarlierOneEndsFirst() throws Exception {
        fx.close();
        fx = new Fixtures(Executors.newSingleThreadExecutor()); // one worker: the second job queues
        vm = new InspectorViewModel(Fixtures::load, fx.services());
        openCoffee();
        Inspection before = fx.onUi(() -> vm.inspectionProperty().get());
        Semaphore reached = new Semaphore(0);
        BlockingQueue<CountDownLatch> gates = new LinkedBlockingQueue<>();
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        gates.add(first);
        gates.add(second);
        vm.setRunListener(e -> {
            if (e.path().equals("base_net.0.0")) { // the first module of a pass
                reached.release();
                try {
                    assertTrue(gates.take().await(60, TimeUnit.SECONDS));
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        fx.onUi(vm::rerun);
        assertTrue(reached.tryAcquire(60, TimeUnit.SECONDS), "first job running");
        fx.onUi(vm::rerun); // queued behind the first, which it supersedes
        first.countDown();
        assertTrue(reached.tryAcquire(60, TimeUnit.SECONDS), "second job running after the first ended");
        fx.onUi(() -> { }); // the first job's end has been handled on the UI thread
        assertTrue(fx.onUi(() -> vm.runningProperty().get()), "Cancel stays enabled for the queued job");
        fx.onUi(vm::cancel);
        second.countDown();
        fx.await(60, "the cancelled job to end", () -> !vm.runningProperty().get());
        assertTrue(fx.onUi(() -> vm.statusProperty().get()).startsWith("Cancelled"));
        assertSame(before, fx.onUi(() -> vm.inspectionProperty().get()), "the previous result stays");
        assertNotEquals(0, (int) fx.onUi(() -> vm.detections().size()));
        assertNull(fx.onUi(() -> vm.errorProperty().get()));
    }

    @Test
    void outOfMemoryEndsInAnErrorAndKeepsThePreviousState() throws Exception {
        vm = new InspectorViewModel((ref, labels) -> {
            if (ref.equals("huge")) {
                throw new OutOfMemoryError("Java heap space");
            }
            return Fixtures.load(ref, labels);
        }, fx.services());
        openCoffee();
        Model model = fx.onUi(() -> vm.modelProperty().get());
        Inspection ins = fx.onUi(() -> vm.inspectionProperty().get());
        fx.onUi(() -> vm.openModel("huge", null));
        fx.await(30, "the error", () -> vm.errorProperty().get() != null);
        String msg = fx.onUi(() -> vm.errorProperty().get());
        assertTrue(msg.startsWith("Loading huge: not enough memory (Java heap space)"), msg);
        assertSame(model, fx.onUi(() -> vm.modelProperty().get()));
        assertSame(ins, fx.onUi(() -> vm.inspectionProperty().get()));
        assertFalse(fx.onUi(() -> vm.runningProperty().get()));
        // and the next image runs with the model still loaded, not with the one that failed
        fx.onUi(() -> vm.openImage(Fixtures.sample("astronaut.png")));
        fx.await(120, "the next run", () -> vm.inspectionProperty().get() != ins && !vm.runningProperty().get());
        assertSame(model, fx.onUi(() -> vm.inspectionProperty().get().model()));
    }

    @Test
    void aDamagedCheckpointIsOneMessageNamingTheFile(@TempDir Path dir) throws Exception {
        vm = new InspectorViewModel(Fixtures::load, fx.services());
        openCoffee();
        Inspection ins = fx.onUi(() -> vm.inspectionProperty().get());
        Path bad = dir.resolve("broken.pth");
        Files.write(bad, new byte[] {'P', 'K', 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        fx.onUi(() -> vm.openFile(bad));
        fx.await(30, "the error", () -> vm.errorProperty().get() != null);
        assertTrue(fx.onUi(() -> vm.errorProperty().get()).startsWith(bad + ": "));
        assertSame(ins, fx.onUi(() -> vm.inspectionProperty().get()));
        assertEquals(bad.toAbsolutePath(), fx.onUi(() -> vm.recent().files().get(0)));
    }

    @Test
    void closingCancelsTheRunningJobAndFreesTheResult() throws Exception {
        vm = new InspectorViewModel(Fixtures::load, fx.services());
        openCoffee();
        Inspection before = fx.onUi(() -> vm.inspectionProperty().get());
        List<RunResult> committed = Collections.synchronizedList(new ArrayList<>());
        fx.onUi(() -> vm.resultProperty().addListener((o, a, r) -> committed.add(r)));
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> after = Collections.synchronizedList(new ArrayList<>());
        vm.setRunListener(e -> {
            if (reached.getCount() > 0) {
                reached.countDown();
                try {
                    assertTrue(release.await(60, TimeUnit.SECONDS));
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            } else {
                after.add(e.path());
            }
        });
        fx.onUi(vm::rerun);
        assertTrue(reached.await(60, TimeUnit.SECONDS));
        fx.onUi(vm::close);
        release.countDown();
        // the run goes on from the listener until it stops (or, if it did not stop, to its end):
        // what it did is known once the workers are idle
        fx.awaitIdle(120, "the cancelled pass to end");
        // the first op is base_net.0's convolution with its batch norm and relu6 fused: it completes
        // those modules and their block; the pass stops before the next op
        assertTrue(after.stream().allMatch(p -> p.equals("base_net.0") || p.startsWith("base_net.0."))
                && after.size() <= 3, "the pass stopped at its next op: " + after);
        assertEquals(1, committed.size(), "only the clearing on close");
        assertNull(committed.get(0));
        assertNull(fx.onUi(() -> vm.inspectionProperty().get()));
        assertFalse(fx.onUi(() -> vm.runningProperty().get()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> before.layer("base_net.0.0"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void detectionsStepAroundAndAPointPicksTheSmallestBoxAroundIt() throws Exception {
        vm = new InspectorViewModel(Fixtures::load, fx.services());
        openCoffee();
        fx.onUi(() -> vm.thresholdProperty().set(0.2));
        List<Detection> all = fx.onUi(() -> List.copyOf(vm.detections()));
        assertTrue(all.size() >= 2, "detections on coffee.png at 0.2: " + all.size());
        fx.onUi(() -> vm.stepDetection(1));
        assertSame(all.get(0), fx.onUi(() -> vm.selectedDetectionProperty().get()));
        fx.onUi(() -> vm.stepDetection(1));
        assertSame(all.get(1), fx.onUi(() -> vm.selectedDetectionProperty().get()));
        fx.onUi(() -> vm.stepDetection(-1));
        fx.onUi(() -> vm.stepDetection(-1));
        assertSame(all.get(all.size() - 1), fx.onUi(() -> vm.selectedDetectionProperty().get()), "wraps around");
        for (Detection d : all) {
            double cx = (d.x1() + d.x2()) / 2;
            double cy = (d.y1() + d.y2()) / 2;
            Detection hit = fx.onUi(() -> vm.detectionAt(cx, cy).orElseThrow());
            assertTrue(hit.box().area() <= d.box().area(), "the smallest box around the point");
            assertTrue(cx >= hit.x1() && cx <= hit.x2() && cy >= hit.y1() && cy <= hit.y2());
        }
        assertTrue(fx.onUi(() -> vm.detectionAt(-5, -5).isEmpty()));
        // a refilter keeps the selected detection selected
        Detection sel = fx.onUi(() -> vm.selectedDetectionProperty().get());
        fx.onUi(() -> vm.thresholdProperty().set(0.19));
        Detection again = fx.onUi(() -> vm.selectedDetectionProperty().get());
        assertEquals(sel.provenance().priorIndex(), again.provenance().priorIndex());
        // boxes are in the original image's pixels, inside it
        int w = fx.onUi(() -> vm.imageProperty().get().originalWidth());
        int h = fx.onUi(() -> vm.imageProperty().get().originalHeight());
        for (Detection d : all) {
            assertTrue(d.x1() >= 0 && d.y1() >= 0 && d.x2() <= w && d.y2() <= h, d.box().toString());
        }
    }

    @Test
    void filesOpenByWhatTheyAreWhicheverRouteBringsThem(@TempDir Path dir) throws Exception {
        List<String> loaded = Collections.synchronizedList(new ArrayList<>());
        vm = new InspectorViewModel((ref, labels) -> {
            loaded.add(ref + " | " + labels);
            return Fixtures.load(ref, labels);
        }, fx.services());
        openCoffee();
        Path manifest = Files.writeString(dir.resolve("my_model-weights_manifest.json"), "[{\"paths\": []}]");
        Path json = Files.writeString(dir.resolve("other.json"), "[]");
        assertEquals(FileKind.MODEL, FileKind.of(manifest));
        assertEquals(FileKind.MODEL, FileKind.of(json), "any .json a model format claims");
        assertEquals(FileKind.MODEL, FileKind.of(Path.of("x.onnx")));
        assertEquals(FileKind.MODEL, FileKind.of(Path.of("x.pth.tar")));
        assertEquals(FileKind.VIDEO, FileKind.of(Path.of("clip.AVI")));
        assertEquals(FileKind.LABELS, FileKind.of(Path.of("voc-model-labels.txt")));
        assertEquals(FileKind.IMAGE, FileKind.of(Path.of("photo.jpeg")));
        fx.onUi(() -> vm.openFile(manifest));
        fx.await(60, "the manifest's error", () -> vm.errorProperty().get() != null);
        assertTrue(loaded.contains(manifest + " | null"), "opened as a model: " + loaded);
        String msg = fx.onUi(() -> vm.errorProperty().get());
        assertTrue(msg.startsWith(manifest.toString()), msg);
        assertFalse(msg.contains("not an image"), msg);
        // a labels file goes with the model that is loaded
        Path labels = Files.writeString(dir.resolve("labels.txt"), "BACKGROUND\na\nb\nc\n");
        fx.onUi(() -> vm.errorProperty().set(null));
        fx.onUi(() -> vm.openFile(labels));
        fx.await(60, "the relabelled model", () -> !vm.runningProperty().get()
                && vm.modelProperty().get().labels().contains("b"));
        assertEquals(List.of("BACKGROUND", "a", "b", "c"), fx.onUi(() -> vm.modelProperty().get().labels()));
        assertEquals(List.of(labels.toAbsolutePath(), manifest.toAbsolutePath()),
                fx.onUi(() -> List.copyOf(vm.recent().files())), "newest first");
    }

    /** A JPEG cut short is shown (what decoded of it) with one warning notice naming it. */
    @Test
    void aTruncatedJpegIsShownWithAWarningNotice(@TempDir Path dir) throws Exception {
        vm = new InspectorViewModel(Fixtures::load, fx.services());
        openCoffee();
        Path cut = dir.resolve("trunc.jpg");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(
                org.layerlens.engine.TestData.repoFile("sample-images/faust_github.jpg")), 100_000));
        fx.onUi(() -> vm.openImage(cut));
        fx.await(60, "the truncated JPEG", () -> !vm.runningProperty().get()
                && vm.imageProperty().get().name().equals("trunc.jpg"));
        assertEquals(1, fx.onUi(() -> vm.notices().stream().filter(n -> n.level() == Notice.Level.WARNING
                && n.text().equals(cut + ": the JPEG ends before its end marker (truncated?); only the part that is "
                + "there was decoded")).count()));
        assertNull(fx.onUi(() -> vm.errorProperty().get()));
    }

    @Test
    void aBigPhotoIsReadShrunkAndShownSmallerWithBoxesInTheOriginalsPixels(@TempDir Path dir) throws Exception {
        vm = new InspectorViewModel(Fixtures::load, fx.services());
        openCoffee();
        Path big = TestImages.photo(dir.resolve("big.jpg"), 8000, 6000);
        fx.onUi(() -> vm.openImage(big));
        fx.await(180, "the 48-megapixel photo", () -> !vm.runningProperty().get()
                && vm.imageProperty().get().name().equals("big.jpg"));
        RunResult r = fx.onUi(() -> vm.resultProperty().get());
        assertEquals(8000, r.image().originalWidth());
        assertEquals(6000, r.image().originalHeight());
        // the engine keeps at most 16 megapixels (a 48 MP JPEG is decoded at half size: 12 MP)
        long kept = (long) r.image().width() * r.image().height();
        assertTrue(kept <= org.layerlens.engine.image.Images.MAX_PIXELS && kept >= 4_000_000, "kept " + kept);
        assertEquals(InspectorViewModel.PICTURE_SIDE, Math.max(r.preview().width(), r.preview().height()));
        assertEquals(r.preview().width() / (double) r.preview().height(), 8000 / 6000.0, 0.01);
        assertTrue(fx.onUi(() -> vm.notices().stream().anyMatch(n -> n.text().startsWith("big.jpg is 8000x6000"))));
        assertEquals(8000, r.inspection().output().imageWidth(), "boxes in the original's pixels");
        assertNull(fx.onUi(() -> vm.errorProperty().get()));
    }

    @Test
    void selectingAModuleItDoesNotHaveChangesNothing() throws Exception {
        vm = new InspectorViewModel(Fixtures::load, fx.services());
        openCoffee();
        assertEquals("base_net.14.conv.2", fx.onUi(() -> vm.selectedPathProperty().get()), "the first source");
        assertFalse(fx.onUi(() -> vm.select("mobilenetv1.conv_11")));
        assertEquals("base_net.14.conv.2", fx.onUi(() -> vm.selectedPathProperty().get()));
        assertTrue(fx.onUi(() -> vm.select("extras.3")));
    }

    @Test
    void theSummaryExportHasMultiplyAddsAndFields(@TempDir Path dir) throws Exception {
        vm = new InspectorViewModel(Fixtures::load, fx.services());
        openCoffee();
        Path csv = dir.resolve("summary.csv");
        fx.onUi(() -> vm.exports().summary(csv)).get(60, TimeUnit.SECONDS);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("path,type,output_hwc,parameters,multiply_adds,receptive_field,ms,head_source", lines.get(0));
        Model m = fx.onUi(() -> vm.modelProperty().get());
        var info = m.info("base_net.14.conv.2");
        String row = lines.stream().filter(l -> l.startsWith("base_net.14.conv.2,")).findFirst().orElseThrow();
        String[] f = row.split(",");
        assertEquals("19x19x576", f[2]);
        assertEquals(info.multiplyAdds(), Long.parseLong(f[4]));
        assertEquals(Format.field(info), f[5]);
        assertEquals("true", f[7]);
        fx.await(10, "the notice", () -> vm.notices().stream().anyMatch(n -> n.text().equals("Wrote " + csv)));
        assertNotNull(m);
    }

    /**
     * An export that fails keeps the file it was to replace and leaves nothing beside it (written
     * straight into the target, a full disk had left half a file over the user's own).
     */
    @Test
    void aFailedExportKeepsTheFileItWasToReplace(@TempDir Path dir) throws Exception {
        vm = new InspectorViewModel(Fixtures::load, fx.services());
        openCoffee();
        fx.await(60, "the selected module's data", () -> vm.layer().layerProperty().get() != null);
        Path old = Files.writeString(dir.resolve("keep.xyz"), "the user's own file");
        var future = fx.onUi(() -> vm.exports().heatmap(old)); // OpenCV writes no .xyz: it fails after starting
        assertThrows(java.util.concurrent.ExecutionException.class, () -> future.get(60, TimeUnit.SECONDS));
        assertEquals("the user's own file", Files.readString(old));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(old), files.toList(), "no temporary file left");
        }
        Path npy = dir.resolve("keep.npy");
        Files.writeString(npy, "old");
        fx.onUi(() -> vm.exports().npy(npy)).get(60, TimeUnit.SECONDS);
        assertEquals(0x93, Files.readAllBytes(npy)[0] & 0xff, "replaced whole by the .npy");
    }
}

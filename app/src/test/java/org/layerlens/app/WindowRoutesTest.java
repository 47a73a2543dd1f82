package org.layerlens.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.TestImages;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.Model;
import org.layerlens.viewer.FxImages;
import org.layerlens.viewer.InspectorView;
import org.layerlens.viewer.InspectorViewModel;
import org.layerlens.viewer.RecentFiles;
import org.layerlens.viewer.RunResult;
import org.layerlens.viewer.jobs.Jobs;
import org.layerlens.viewer.pane.FilePicker;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The bugs of issue #15 in the real window: the stale model, Cancel of a queued job, a
 * 48-megapixel photo, a failure with no memory left, a TF.js manifest through every route. Jobs
 * run on one worker thread here, so that a second job really queues behind the first.
 */
@ExtendWith(ApplicationExtension.class)
class WindowRoutesTest {
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-worker");
        t.setDaemon(true);
        return t;
    });
    private volatile CountDownLatch slowLoad = new CountDownLatch(0);
    private volatile String slowRef = "";
    /** Counted down when the load of {@code slowRef} has begun (and waits for {@code slowLoad}). */
    private volatile CountDownLatch slowLoading = new CountDownLatch(0);
    private final List<String> picked = new ArrayList<>();
    private final BlockingQueue<Path> answers = new LinkedBlockingQueue<>();
    private InspectorViewModel vm;
    private InspectorView view;

    @Start
    void start(Stage stage) {
        vm = new InspectorViewModel((ref, labels) -> {
            if (ref.equals(slowRef)) {
                slowLoading.countDown();
                assertTrue(slowLoad.await(60, TimeUnit.SECONDS));
            }
            if (ref.equals("huge")) {
                throw new OutOfMemoryError("Java heap space");
            }
            return ModelRef.load(ref, labels);
        }, new InspectorViewModel.Services(worker, Jobs.fxThread(), FxImages::fromRgb, RecentFiles.inMemory()));
        view = new InspectorView(vm);
        view.setFilePicker(new FilePicker() { // answers as a user would in the system's dialog
            @Override
            public Path open(Node owner, String what, List<FileChooser.ExtensionFilter> filters) {
                picked.add(what + " " + filters.get(0).getExtensions());
                return answers.poll();
            }

            @Override
            public Path save(Node owner, String title, String name, String ext) {
                return answers.poll();
            }
        });
        stage.setScene(InspectorView.scene(view));
        InspectorView.bindTitle(stage, vm);
        stage.show();
    }

    @BeforeEach
    void open() throws Exception {
        WaitForAsyncUtils.waitForAsyncFx(10_000, () -> vm.open(Repo.randomModel().toString(), null,
                Repo.sample("coffee.png")));
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> vm.inspectionProperty().get() != null
                && !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    @AfterEach
    void close() {
        WaitForAsyncUtils.waitForAsyncFx(10_000, () -> vm.close());
        worker.shutdownNow();
    }

    private MenuItem menuItem(String menu, String item) {
        Menu m = view.menu().getMenus().stream().filter(x -> x.getText().replace("_", "").equals(menu)).findFirst().orElseThrow();
        return m.getItems().stream().filter(i -> i.getText() != null && i.getText().equals(item)).findFirst()
                .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    @Test
    void anImageOpenedBeforeTheNewModelArrivesRunsWithTheNewModel(FxRobot robot) throws Exception {
        Path other = Repo.root().resolve("engine/src/test/resources/reference/mb2-ssd-lite-random-21.pth");
        slowRef = other.toString();
        slowLoad = new CountDownLatch(1);
        slowLoading = new CountDownLatch(1);
        Model first = vm.modelProperty().get();
        List<RunResult> committed = Collections.synchronizedList(new ArrayList<>());
        robot.interact(() -> vm.resultProperty().addListener((o, a, r) -> committed.add(r)));
        answers.add(other);
        robot.interact(() -> menuItem("File", "Open Model…").fire());
        // the image is opened while the model is loading (on the one worker): its job queues behind
        assertTrue(slowLoading.await(30, TimeUnit.SECONDS), "the new model is loading");
        answers.add(Repo.sample("astronaut.png"));
        robot.interact(() -> menuItem("File", "Open Image…").fire());
        WaitForAsyncUtils.waitForFxEvents();
        assertSame(first, vm.modelProperty().get());
        assertFalse(robot.lookup("#cancelButton").queryAs(Button.class).isDisabled(), "Cancel while loading");
        slowLoad.countDown();
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(other, vm.modelProperty().get().source());
        assertEquals("astronaut.png", vm.imageProperty().get().name());
        assertEquals(1, committed.size(), "no intermediate result with the old model: " + committed);
        ComboBox<String> chooser = robot.lookup("#modelChooser").queryAs(ComboBox.class);
        assertEquals(other.toString(), chooser.getValue());
        String title = ((Stage) view.getScene().getWindow()).getTitle();
        assertEquals("LayerLens — mb2-ssd-lite-random-21.pth — astronaut.png", title);
        assertTrue(picked.get(0).startsWith("Open Model"), picked.toString());
    }

    @Test
    void cancelStaysWithTheQueuedJobWhenTheEarlierOneEnds(FxRobot robot) throws Exception {
        Inspection before = vm.inspectionProperty().get();
        Semaphore reached = new Semaphore(0);
        BlockingQueue<CountDownLatch> gates = new LinkedBlockingQueue<>();
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        gates.add(first);
        gates.add(second);
        vm.setRunListener(e -> {
            if (e.path().equals("base_net.0.0")) {
                reached.release();
                try {
                    assertTrue(gates.take().await(60, TimeUnit.SECONDS));
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        robot.interact(vm::rerun);
        assertTrue(reached.tryAcquire(60, TimeUnit.SECONDS));
        robot.interact(vm::rerun); // queued behind the first on the one worker
        first.countDown();
        assertTrue(reached.tryAcquire(60, TimeUnit.SECONDS), "the queued job started");
        WaitForAsyncUtils.waitForFxEvents();
        Button cancel = robot.lookup("#cancelButton").queryAs(Button.class);
        assertFalse(cancel.isDisabled(), "the first job's end did not grey out Cancel");
        robot.clickOn(cancel);
        second.countDown();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        vm.setRunListener(null);
        assertTrue(cancel.isDisabled());
        assertTrue(vm.statusProperty().get().startsWith("Cancelled"), vm.statusProperty().get());
        assertSame(before, vm.inspectionProperty().get());
    }

    @Test
    void aFortyEightMegapixelPhotoOpensWithoutFreezingTheWindow(FxRobot robot, @TempDir Path dir) throws Exception {
        Path big = TestImages.photo(dir.resolve("big.jpg"), 8000, 6000);
        Inspection before = vm.inspectionProperty().get();
        robot.interact(() -> view.open(big)); // drag and drop
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> vm.inspectionProperty().get() != before
                && !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("big.jpg", vm.imageProperty().get().name());
        assertEquals(8000, vm.imageProperty().get().originalWidth());
        assertEquals(2048, (int) vm.pictureProperty().get().getWidth(), "the picture is built small, off the FX thread");
        assertFalse(robot.lookup("#errorDialog").tryQuery().isPresent());
        assertTrue(robot.lookup(".notification-bar").tryQuery().isPresent(), "the shrink is a notification");
        assertTrue(vm.statusProperty().get().contains("on big.jpg"), vm.statusProperty().get());
    }

    @Test
    void runningOutOfMemoryEndsInADialogAndKeepsTheModel(FxRobot robot) throws Exception {
        Model before = vm.modelProperty().get();
        Inspection ins = vm.inspectionProperty().get();
        robot.interact(() -> vm.openModel("huge", null));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#errorDialog").tryQuery().isPresent());
        DialogPane pane = robot.lookup("#errorDialog").queryAs(DialogPane.class);
        assertEquals("Loading huge: not enough memory (Java heap space)", pane.getHeaderText());
        assertTrue(pane.getContentText().contains("-Xmx"), pane.getContentText());
        assertSame(before, vm.modelProperty().get());
        assertSame(ins, vm.inspectionProperty().get());
        assertTrue(robot.lookup("#cancelButton").queryAs(Button.class).isDisabled());
        robot.interact(() -> pane.getScene().getWindow().hide());
    }

    @Test
    void aTfjsManifestIsAModelFromTheDialogDragAndDropAndRecentFiles(FxRobot robot) throws Exception {
        Path manifest = ModelRef.bundled("faces-v1/", "ssd_mobilenetv1_model-weights_manifest.json",
                "ssd_mobilenetv1_model.bin")[0];
        // the Open Image dialog's "All files": a model file is a model whichever menu picked it
        answers.add(manifest);
        robot.interact(() -> menuItem("File", "Open Image…").fire());
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !vm.runningProperty().get()
                && vm.modelProperty().get().spec().name().equals("faces-v1"));
        assertFalse(robot.lookup("#errorDialog").tryQuery().isPresent());
        assertEquals("coffee.png", vm.imageProperty().get().name(), "the image stays; the model changed");
        // the Open Model dialog offers every format's patterns
        answers.add(Repo.randomModel());
        robot.interact(() -> menuItem("File", "Open Model…").fire());
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !vm.runningProperty().get()
                && vm.modelProperty().get().spec().name().equals("mb2-ssd-lite"));
        String filters = picked.get(picked.size() - 1);
        for (String p : List.of("*.pth", "*.onnx", "*weights_manifest.json")) {
            assertTrue(filters.contains(p), filters);
        }
        // drag and drop
        robot.interact(() -> view.open(manifest));
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !vm.runningProperty().get()
                && vm.modelProperty().get().spec().name().equals("faces-v1"));
        // recent files
        robot.interact(() -> vm.openModel("default", null));
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !vm.runningProperty().get()
                && vm.modelProperty().get().spec().name().equals("mb2-ssd-lite"));
        Model shapes = vm.modelProperty().get();
        MenuItem recent = view.menu().recentMenu().getItems().stream()
                .filter(i -> i.getText().equals(manifest.toAbsolutePath().toString())).findFirst().orElseThrow();
        assertEquals(manifest.toAbsolutePath().toString(), view.menu().recentMenu().getItems().get(0).getText(),
                "the manifest opened last comes first");
        robot.interact(recent::fire);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !vm.runningProperty().get()
                && vm.modelProperty().get() != shapes);
        assertEquals("faces-v1", vm.modelProperty().get().spec().name());
        assertNotSame(shapes, vm.modelProperty().get());
        assertFalse(robot.lookup("#errorDialog").tryQuery().isPresent());
    }

    @Test
    void closingASecondWindowCancelsItsRunAndFreesItsResult(FxRobot robot) throws Exception {
        InspectorView[] second = new InspectorView[1];
        robot.interact(() -> second[0] = view.openNewWindow());
        InspectorViewModel vm2 = second[0].viewModel();
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> vm2.inspectionProperty().get() != null
                && !vm2.runningProperty().get());
        Inspection shown = vm2.inspectionProperty().get();
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch reached = new CountDownLatch(1);
        vm2.setRunListener(e -> {
            reached.countDown();
            try {
                hold.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        robot.interact(vm2::rerun);
        assertTrue(reached.await(60, TimeUnit.SECONDS));
        robot.interact(() -> second[0].getScene().getWindow().hide());
        assertFalse(vm2.runningProperty().get(), "its job was cancelled");
        hold.countDown();
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(vm2.closed());
        assertEquals(null, vm2.inspectionProperty().get());
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> shown.layer("base_net.0.0"));
        assertTrue(e.getMessage().contains("closed"));
        assertTrue(vm.inspectionProperty().get() != null, "the first window keeps its own");
    }

    @Test
    void exportsFromTheMenuWriteWhatIsShown(FxRobot robot, @TempDir Path dir) throws Exception {
        robot.interact(() -> vm.select("base_net.14.conv.2"));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.layer().layerProperty().get() != null
                && vm.layer().layerProperty().get().path().equals("base_net.14.conv.2")
                && vm.layer().heatProperty().get() != null);
        Path npy = dir.resolve("tap.npy");
        Path gallery = dir.resolve("gallery.png");
        Path json = dir.resolve("detections.json");
        for (Path p : List.of(npy, gallery, json)) {
            answers.add(p);
        }
        robot.interact(() -> menuItem("Export", "Selected Tensor as .npy…").fire());
        robot.interact(() -> menuItem("Export", "Whole Gallery as PNG…").fire());
        robot.interact(() -> menuItem("Export", "Detections as JSON…").fire());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.notices().stream().filter(n -> n.text()
                .startsWith("Wrote ")).count() == 3);
        org.layerlens.engine.io.Npy.Array a = org.layerlens.engine.io.Npy.read(npy);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {1, 576, 19, 19}, a.shape());
        org.junit.jupiter.api.Assertions.assertArrayEquals(vm.inspectionProperty().get().layer("base_net.14.conv.2")
                .chw(), a.data(), 0f);
        org.opencv.core.Mat png = org.opencv.imgcodecs.Imgcodecs.imread(gallery.toString());
        assertEquals(24 * 21, png.cols(), "24 columns of 19+2 pixels for 576 channels");
        String text = java.nio.file.Files.readString(json);
        assertEquals(vm.detections().size(), com.google.gson.JsonParser.parseString(text).getAsJsonArray().get(0)
                .getAsJsonObject().getAsJsonArray("detections").size());
    }
}

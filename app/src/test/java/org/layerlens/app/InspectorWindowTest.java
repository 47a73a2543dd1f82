package org.layerlens.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableColumn;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.nn.Module;
import org.layerlens.viewer.InspectorView;
import org.layerlens.viewer.InspectorViewModel;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Drives the real window (headless through Monocle) on the real engine. */
@ExtendWith(ApplicationExtension.class)
class InspectorWindowTest {
    private InspectorViewModel vm;
    private InspectorView view;

    @Start
    void start(Stage stage) {
        vm = new InspectorViewModel(ModelRef::load);
        view = new InspectorView(vm);
        stage.setScene(InspectorView.scene(view));
        stage.show();
    }

    @BeforeEach
    void open() throws Exception {
        WaitForAsyncUtils.waitForAsyncFx(10_000, () -> vm.open(Repo.randomModel().toString(), null,
                Repo.sample("coffee.png")));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.inspectionProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @AfterEach
    void close() {
        WaitForAsyncUtils.waitForAsyncFx(10_000, () -> vm.close());
    }

    private TreeItem<Module> find(TreeItem<Module> it, String path) {
        if (it.getValue() != null && it.getValue().path().equals(path)) {
            return it;
        }
        for (TreeItem<Module> c : it.getChildren()) {
            TreeItem<Module> f = find(c, path);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    /** The gallery is filled on a worker: waits for it to show {@code n} channels. */
    private void gallery(int n) throws java.util.concurrent.TimeoutException {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> view.gallery().getItems().size() == n);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Ctrl+1 to Ctrl+6 show the side tabs in their order (only Explain and Class Maps had keys). */
    @Test
    void eachSideTabHasAKey(FxRobot robot) throws Exception {
        robot.clickOn(view.tree());
        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.DIGIT2)
                .release(javafx.scene.input.KeyCode.DIGIT2, javafx.scene.input.KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Block", view.sideTab());
        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.DIGIT4)
                .release(javafx.scene.input.KeyCode.DIGIT4, javafx.scene.input.KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Dataset", view.sideTab());
        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.DIGIT1)
                .release(javafx.scene.input.KeyCode.DIGIT1, javafx.scene.input.KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Channels", view.sideTab());
        // Ctrl+Tab from the tree, as in browsers (the tab pane does it only where the focus is inside it)
        robot.clickOn(view.tree());
        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.TAB)
                .release(javafx.scene.input.KeyCode.TAB, javafx.scene.input.KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Block", view.sideTab());
        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.SHIFT, javafx.scene.input.KeyCode.TAB)
                .release(javafx.scene.input.KeyCode.TAB, javafx.scene.input.KeyCode.SHIFT, javafx.scene.input.KeyCode.CONTROL);
        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.SHIFT, javafx.scene.input.KeyCode.TAB)
                .release(javafx.scene.input.KeyCode.TAB, javafx.scene.input.KeyCode.SHIFT, javafx.scene.input.KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(view.sideTabTitles().get(view.sideTabTitles().size() - 1), view.sideTab(),
                "back past the first to the last");
    }

    /** Exporting the tensor of the tree's root row, which has none, says so before any file dialog (it wrote nothing, unsaid). */
    @Test
    void exportingWhatHasNoTensorSaysSo(FxRobot robot) throws Exception {
        robot.interact(() -> vm.select(""));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> vm.layer().layerProperty().get() != null
                && vm.layer().layerProperty().get().path().isEmpty());
        javafx.scene.control.MenuItem npy = view.menu().getMenus().stream().filter(m -> m.getText().replace("_", "").equals("Export"))
                .findFirst().orElseThrow().getItems().stream().filter(i -> i.getText().startsWith("Selected Tensor"))
                .findFirst().orElseThrow();
        robot.interact(npy::fire); // a file dialog would throw here: Monocle has none
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(vm.notices().stream().anyMatch(n -> n.text().startsWith("Nothing to export: the network's root has "
                + "no output of its own")), vm.notices().toString());
    }

    /**
     * Making the window small squeezes the dividers against the panes' minimum sizes; made large
     * again, the panes come back where they were (they stayed squeezed: the tree's columns cut,
     * the detections table one row).
     */
    @Test
    void panesComeBackAfterTheWindowWasMadeSmall(FxRobot robot) throws Exception {
        javafx.scene.control.SplitPane main = robot.lookup("#mainSplit").queryAs(javafx.scene.control.SplitPane.class);
        javafx.scene.control.SplitPane centre = robot.lookup("#centreSplit").queryAs(javafx.scene.control.SplitPane.class);
        Stage stage = (Stage) main.getScene().getWindow();
        double w = stage.getWidth();
        double h = stage.getHeight();
        double[] mainBefore = main.getDividerPositions();
        double[] centreBefore = centre.getDividerPositions();
        robot.interact(() -> {
            stage.setWidth(420);
            stage.setHeight(300);
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertNotEquals(mainBefore[0], main.getDividerPositions()[0], 0.02, "squeezed while small");
        robot.interact(() -> {
            stage.setWidth(w);
            stage.setHeight(h);
        });
        WaitForAsyncUtils.waitForFxEvents();
        for (int i = 0; i < mainBefore.length; i++) {
            assertEquals(mainBefore[i], main.getDividerPositions()[i], 0.01, "main divider " + i);
        }
        assertEquals(centreBefore[0], centre.getDividerPositions()[0], 0.01, "picture and detections table");
        // a divider the user drags is where it comes back to
        javafx.scene.Node divider = main.lookupAll(".split-pane-divider").stream().filter(n -> n.getParent() == main)
                .findFirst().orElseThrow(); // not the picture/table split's, inside it
        robot.drag(divider).moveBy(-150, 0).release(javafx.scene.input.MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        double dragged = main.getDividerPositions()[0];
        assertEquals(mainBefore[0] - 150 / w, dragged, 0.02, "dragged 150 px to the left");
        robot.interact(() -> stage.setWidth(500));
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> stage.setWidth(w));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(dragged, main.getDividerPositions()[0], 0.01);
        // a divider dragged while the window is small: the other one, squeezed then, comes back too
        double side = main.getDividerPositions()[1];
        robot.interact(() -> stage.setWidth(700));
        WaitForAsyncUtils.waitForFxEvents();
        robot.drag(divider).moveBy(-20, 0).release(javafx.scene.input.MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> stage.setWidth(w));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(side, main.getDividerPositions()[1], 0.01, "the side pane's divider, not dragged");
    }

    @SuppressWarnings("unchecked")
    @Test
    void treeShowsTheTapWithItsShapeAndSelectingItFillsTheGallery(FxRobot robot) throws Exception {
        TreeItem<Module> item = find(view.tree().getRoot(), "base_net.14.conv.2");
        assertTrue(item != null, "row base_net.14.conv.2");
        TreeTableColumn<Module, String> output = (TreeTableColumn<Module, String>) view.tree().getColumns().get(2);
        assertEquals("19x19x576 ◆", output.getCellData(item));
        assertEquals("10x10x1280", output.getCellData(find(view.tree().getRoot(), "base_net.18")));

        robot.interact(() -> view.tree().getSelectionModel().select(find(view.tree().getRoot(), "base_net.0.0")));
        gallery(32);
        robot.interact(() -> view.tree().getSelectionModel().select(item));
        assertEquals("base_net.14.conv.2", vm.selectedPathProperty().get());
        gallery(576);
        assertTrue(robot.lookup(".grid-cell").queryAll().size() > 10, "thumbnails rendered");
        // the shape trail: the selected module's step is highlighted; clicking a step selects its module
        javafx.scene.control.ToggleButton tapStep = robot.lookup((javafx.scene.control.ToggleButton b) ->
                b.getText().equals("19x19x576 ◆")).query();
        assertTrue(tapStep.isSelected(), "trail highlights the selected module's step");
        robot.clickOn((javafx.scene.control.ToggleButton) robot.lookup((javafx.scene.control.ToggleButton b) ->
                b.getText().equals("10x10x1280 ◆")).query());
        assertEquals("base_net.18", vm.selectedPathProperty().get());
        gallery(1280);
        robot.interact(() -> view.tree().getSelectionModel().select(item));
        // keyboard: down moves to the next module
        robot.interact(() -> view.tree().requestFocus());
        robot.type(javafx.scene.input.KeyCode.DOWN);
        assertEquals("base_net.14.conv.3", vm.selectedPathProperty().get());
    }

    @Test
    void scoreSliderRefiltersWithoutRerunning(FxRobot robot) {
        Inspection before = vm.inspectionProperty().get();
        int low = vm.detections().size();
        Slider s = robot.lookup("#scoreSlider").queryAs(Slider.class);
        robot.interact(() -> s.setValue(0.95));
        int high = vm.detections().size();
        assertTrue(high < low, "fewer boxes at 0.95 (" + high + ") than at 0.5 (" + low + ")");
        assertEquals(high + " detection(s)", robot.lookup("#detectionCount").queryAs(Label.class).getText());
        assertSame(before, vm.inspectionProperty().get(), "no re-run");
    }

    @Test
    void corruptCheckpointShowsAnErrorAndKeepsTheModel(FxRobot robot, @TempDir Path dir) throws Exception {
        Model before = vm.modelProperty().get();
        Inspection ins = vm.inspectionProperty().get();
        Path bad = dir.resolve("broken.pth");
        Files.write(bad, new byte[] {'P', 'K', 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        robot.interact(() -> view.open(bad));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#errorDialog").tryQuery().isPresent());
        DialogPane pane = robot.lookup("#errorDialog").queryAs(DialogPane.class);
        assertTrue(pane.getHeaderText().startsWith(bad.toString() + ": "), pane.getHeaderText());
        assertSame(before, vm.modelProperty().get());
        assertSame(ins, vm.inspectionProperty().get());
        robot.interact(() -> pane.getScene().getWindow().hide());
    }

    /**
     * At 800x600 the side tabs keep ~280 px and Explain's values room to be read: the proportions
     * gave the side ~110 px and values wrapped a few letters a line (walkthrough).
     */
    @Test
    void aSmallWindowLeavesExplainReadable(FxRobot robot) throws Exception {
        javafx.stage.Window w = view.getScene().getWindow();
        double width = w.getWidth();
        double height = w.getHeight();
        robot.interact(() -> {
            view.showSideTab("Explain");
            vm.selectedDetectionProperty().set(vm.detections().get(0));
            w.setWidth(800);
            w.setHeight(600);
        });
        WaitForAsyncUtils.waitForFxEvents();
        try {
            double side = view.lookup("#sideTabs").getLayoutBounds().getWidth();
            assertTrue(side >= 260, "side tabs " + side + " px of 800 (the proportions alone gave ~110)");
            javafx.scene.Node value = view.lookup("#provHead");
            assertTrue(value.isVisible() && value.getLayoutBounds().getWidth() >= 139,
                    "a value " + value.getLayoutBounds().getWidth() + " px wide");
        } finally {
            robot.interact(() -> {
                w.setWidth(width);
                w.setHeight(height);
            });
        }
    }

    /** A long one-line error (walkthrough: two models that share no module) made a dialog 1,350 px wide. */
    @Test
    void aLongErrorIsWrappedToAReadableWidth(FxRobot robot) throws Exception {
        String msg = "Comparing with bundled: faces-v1: objects-v2 and faces-v1 share no module with an output of the "
                + "same shape: nothing to compare (module paths differ: FeatureExtractor/MobilenetV2/Conv against "
                + "base_net.0.0 and 400 others)";
        robot.interact(() -> vm.errorProperty().set(msg));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#errorDialog").tryQuery().isPresent());
        DialogPane pane = robot.lookup("#errorDialog").queryAs(DialogPane.class);
        assertTrue(pane.getWidth() <= 720, "dialog " + pane.getWidth() + " px wide");
        assertEquals(msg, pane.getHeaderText().replace('\n', ' '), "all of it, on lines of its own");
        robot.interact(() -> pane.getScene().getWindow().hide());
        robot.interact(() -> vm.errorProperty().set(null));
    }

    @Test
    void cancelStopsARunAndKeepsThePreviousResult(FxRobot robot) throws Exception {
        Inspection before = vm.inspectionProperty().get();
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        vm.setRunListener(e -> {
            if (first.getAndSet(false)) {
                reached.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        robot.interact(() -> vm.rerun());
        assertTrue(reached.await(30, TimeUnit.SECONDS), "run started");
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#cancelButton");
        release.countDown();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        vm.setRunListener(null);
        assertTrue(vm.statusProperty().get().startsWith("Cancelled"), vm.statusProperty().get());
        assertSame(before, vm.inspectionProperty().get());
        assertNotEquals(0, vm.detections().size());
    }

    @Test
    void clickingAChannelOpensItLargeWithTheValueUnderTheCursor(FxRobot robot) throws Exception {
        robot.interact(() -> vm.select("base_net.0.2"));
        gallery(32);
        javafx.scene.Node cell = robot.lookup(".grid-cell").nth(3).query();
        robot.clickOn(cell);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.listTargetWindows().stream()
                .anyMatch(w -> w instanceof javafx.stage.Stage s && s.getTitle() != null && s.getTitle().contains("channel")));
        javafx.stage.Stage big = (javafx.stage.Stage) robot.listTargetWindows().stream()
                .filter(w -> w instanceof javafx.stage.Stage s && s.getTitle() != null && s.getTitle().contains("channel"))
                .findFirst().orElseThrow();
        assertTrue(big.getTitle().startsWith("base_net.0.2 — channel 3 of 32"), big.getTitle());
        javafx.scene.layout.StackPane pics = (javafx.scene.layout.StackPane) big.getScene().getRoot()
                .lookup("#channelPicture");
        robot.moveTo(pics);
        WaitForAsyncUtils.waitForFxEvents();
        String value = robot.from(big.getScene().getRoot()).lookup((Label l) -> l.getText().startsWith("(x ")).queryAs(Label.class).getText();
        assertTrue(value.matches("\\(x \\d+, y \\d+\\) = -?[0-9.]+"), value);
        // overlay on the input image
        robot.interact(() -> big.getScene().getRoot().lookupAll(".check-box").forEach(n ->
                ((javafx.scene.control.CheckBox) n).setSelected(true)));
        java.nio.file.Path shot = java.nio.file.Path.of("target", "channel-window.png");
        robot.interact(() -> {
            try {
                org.layerlens.viewer.FxImages.writePng(big.getScene().snapshot(null), shot);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertTrue(Files.size(shot) > 1000);
        robot.interact(big::hide);
    }

    @SuppressWarnings("unchecked")
    @Test
    void theModelChooserSwitchesToTheV1FaceDetectorWithItsTreeShapesAndFaces(FxRobot robot) throws Exception {
        javafx.scene.control.ComboBox<String> chooser = robot.lookup("#modelChooser").queryAs(javafx.scene.control.ComboBox.class);
        assertEquals(Repo.randomModel().toString(), chooser.getValue(), "the opened checkpoint is in the chooser");
        Inspection before = vm.inspectionProperty().get();
        robot.interact(() -> chooser.setValue("faces-v1"));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.inspectionProperty().get() != before
                && vm.modelProperty().get().spec().name().equals("faces-v1"));
        Inspection coffee = vm.inspectionProperty().get();
        robot.interact(() -> vm.openImage(Repo.sample("astronaut.png")));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.inspectionProperty().get() != coffee);
        WaitForAsyncUtils.waitForFxEvents();
        TreeTableColumn<Module, String> output = (TreeTableColumn<Module, String>) view.tree().getColumns().get(2);
        assertEquals("32x32x512 ◆", output.getCellData(find(view.tree().getRoot(), "mobilenetv1.conv_11")));
        assertEquals("256x256x32", output.getCellData(find(view.tree().getRoot(), "mobilenetv1.conv_0")));
        assertEquals("1x1x128 ◆", output.getCellData(find(view.tree().getRoot(), "prediction_layer.conv_7")));
        assertEquals("faces-v1", chooser.getValue());
        assertEquals(0.5, robot.lookup("#iouSlider").queryAs(Slider.class).getValue(), 1e-9, "face-api's own IoU");
        assertEquals(1, vm.detections().size(), "one face on astronaut.png");
        assertEquals("face", vm.detections().get(0).label());
        robot.interact(() -> view.tree().getSelectionModel().select(find(view.tree().getRoot(), "mobilenetv1.conv_11")));
        gallery(512);
        java.nio.file.Path shot = java.nio.file.Path.of("target", "faces-v1-window.png");
        robot.interact(() -> {
            try {
                org.layerlens.viewer.FxImages.writePng(view.getScene().snapshot(null), shot);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // and back to the V2 model through the chooser
        Inspection faces = vm.inspectionProperty().get();
        robot.interact(() -> chooser.setValue("default"));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.inspectionProperty().get() != faces);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("mb2-ssd-lite", vm.modelProperty().get().spec().name());
        assertEquals("19x19x576 ◆", output.getCellData(find(view.tree().getRoot(), "base_net.14.conv.2")));
    }

    @SuppressWarnings("unchecked")
    @Test
    void aSecondWindowShowsTheSameImageAndCanRunTheOtherModelBesideTheFirst(FxRobot robot) throws Exception {
        InspectorView[] second = new InspectorView[1];
        robot.interact(() -> second[0] = view.openNewWindow());
        InspectorViewModel vm2 = second[0].viewModel();
        javafx.stage.Window w2 = second[0].getScene().getWindow();
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        assertTrue(w2.getX() + w2.getWidth() <= screen.getMaxX() + 1 && w2.getY() + w2.getHeight() <= screen.getMaxY() + 1,
                "the second window stays on the screen: " + w2.getX() + "," + w2.getY() + " " + w2.getWidth() + "x"
                        + w2.getHeight() + " on " + screen);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm2.inspectionProperty().get() != null);
        assertSame(vm.modelProperty().get(), vm2.modelProperty().get(), "the loaded model is shared, not reloaded");
        assertEquals(vm.imageProperty().get().source(), vm2.imageProperty().get().source());
        Inspection first = vm2.inspectionProperty().get();
        javafx.scene.control.ComboBox<String> chooser2 = (javafx.scene.control.ComboBox<String>)
                second[0].lookup("#modelChooser");
        robot.interact(() -> chooser2.setValue("faces-v1"));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm2.inspectionProperty().get() != first);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("faces-v1", vm2.modelProperty().get().spec().name());
        assertEquals("mb2-ssd-lite", vm.modelProperty().get().spec().name(), "the first window keeps its model");
        assertEquals("coffee.png", vm2.imageProperty().get().source().getFileName().toString());
        TreeTableColumn<Module, String> output = (TreeTableColumn<Module, String>) second[0].tree().getColumns().get(2);
        assertEquals("32x32x512 ◆", output.getCellData(find(second[0].tree().getRoot(), "mobilenetv1.conv_11")));
        java.nio.file.Path shot = java.nio.file.Path.of("target", "second-window.png");
        robot.interact(() -> {
            try {
                org.layerlens.viewer.FxImages.writePng(second[0].getScene().snapshot(null), shot);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        robot.interact(() -> second[0].getScene().getWindow().hide());
    }
}

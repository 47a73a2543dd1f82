package org.layerlens.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.SnapshotParameters;
import javafx.scene.control.Label;
import javafx.scene.control.TreeItem;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.paint.Color;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.TestImages;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.nn.Module;
import org.layerlens.viewer.Format;
import org.layerlens.viewer.FxImages;
import org.layerlens.viewer.InspectorView;
import org.layerlens.viewer.InspectorViewModel;
import org.layerlens.viewer.LayerViewModel;
import org.layerlens.viewer.pane.DetectionBoxes;
import org.layerlens.viewer.pane.ImageGeometry;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The views added with the panes, driven headless on the real engine: detections table, overlay, columns, block, video. */
@ExtendWith(ApplicationExtension.class)
class WindowViewsTest {
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
        settle();
    }

    @AfterEach
    void close() {
        WaitForAsyncUtils.waitForAsyncFx(10_000, () -> vm.close());
    }

    /** Waits until the run, the module's data, its thumbnails and the block diagram are done. */
    private void settle() throws Exception {
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> vm.inspectionProperty().get() != null
                && !WaitForAsyncUtils.asyncFx(view::busy).get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    private WritableImage canvas() throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> {
            SnapshotParameters p = new SnapshotParameters();
            p.setFill(Color.TRANSPARENT);
            return view.imagePane().canvas().snapshot(p, null);
        }).get();
    }

    private static void shot(Node n, String name) {
        WaitForAsyncUtils.waitForAsyncFx(10_000, () -> {
            try {
                FxImages.writePng(n.getScene().snapshot(null), Path.of("target", name));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void theDetectionsTableAndTheBoxesSelectEachOther(FxRobot robot) throws Exception {
        robot.interact(() -> vm.thresholdProperty().set(0.2));
        List<Detection> all = List.copyOf(vm.detections());
        assertTrue(all.size() >= 3, "detections on coffee.png at 0.2: " + all.size());
        assertEquals(all, view.detectionsTable().getItems());
        // a row selects the detection, and its box is drawn on top in its class colour
        robot.interact(() -> view.detectionsTable().getSelectionModel().select(1));
        Detection d1 = all.get(1);
        assertSame(d1, vm.selectedDetectionProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        ImageGeometry geo = view.imagePane().geometry();
        PixelReader px = canvas().getPixelReader();
        Point2D top = geo.toCanvas((d1.x1() + d1.x2()) / 2, d1.y1());
        Color c = px.getColor((int) top.getX(), (int) Math.min(geo.height() - 1, top.getY() + 1));
        Color want = DetectionBoxes.colour(d1.classId());
        assertEquals(want.getRed(), c.getRed(), 0.02, "selected box edge in its class colour: " + c);
        assertEquals(want.getGreen(), c.getGreen(), 0.02);
        assertEquals(want.getBlue(), c.getBlue(), 0.02);
        // a click inside a box selects its row
        Detection target = null;
        for (Detection d : all) {
            if (d != d1 && vm.detectionAt((d.x1() + d.x2()) / 2, (d.y1() + d.y2()) / 2).orElse(null) == d) {
                target = d;
                break;
            }
        }
        assertNotNull(target, "a box whose centre picks it");
        Point2D centre = geo.toCanvas((target.x1() + target.x2()) / 2, (target.y1() + target.y2()) / 2);
        Point2D screen = view.imagePane().canvas().localToScreen(centre);
        robot.clickOn(screen);
        WaitForAsyncUtils.waitForFxEvents();
        assertSame(target, vm.selectedDetectionProperty().get());
        assertSame(target, view.detectionsTable().getSelectionModel().getSelectedItem(), "the row follows");
        // the keyboard: N goes to the next detection, Shift+N back
        int i = all.indexOf(target);
        robot.interact(() -> view.tree().requestFocus());
        robot.type(KeyCode.N);
        assertSame(all.get((i + 1) % all.size()), vm.selectedDetectionProperty().get());
        robot.press(KeyCode.SHIFT).type(KeyCode.N).release(KeyCode.SHIFT);
        assertSame(target, vm.selectedDetectionProperty().get());
        // a click on no box clears the selection
        Point2D corner = view.imagePane().canvas().localToScreen(new Point2D(2, geo.height() - 3));
        if (vm.detectionAt(2 / geo.scale(), (geo.height() - 3) / geo.scale()).isEmpty()) {
            robot.clickOn(corner);
            assertEquals(-1, view.detectionsTable().getSelectionModel().getSelectedIndex());
        }
        // the head column names where the box came from
        assertEquals(target.provenance().head() + " · " + target.provenance().rows() + "x" + target.provenance().cols(),
                view.detectionsTable().getColumns().get(4).getCellData(target));
        shot(view, "detections-view.png");
    }

    @Test
    void theChannelOverlayCoversTheSquareTheNetworkSawOnANonSquarePhoto(FxRobot robot) throws Exception {
        robot.interact(() -> vm.open("faces-v1", null, Repo.sample("messi5.jpg")));
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> vm.modelProperty().get() != null
                && vm.modelProperty().get().spec().name().equals("faces-v1") && vm.inspectionProperty().get() != null
                && !vm.runningProperty().get());
        robot.interact(() -> vm.select("mobilenetv1.conv_5"));
        settle();
        LayerViewModel.Heat heat = vm.layer().heatProperty().get();
        assertEquals("mobilenetv1.conv_5", heat.path());
        assertEquals(64, heat.rgb().width());
        ImageGeometry geo = view.imagePane().geometry();
        int w = vm.imageProperty().get().width();
        int h = vm.imageProperty().get().height();
        assertTrue(w > h, "a landscape photo: " + w + "x" + h);
        assertEquals(1.0, geo.factors()[0], 1e-9);
        assertEquals(w / (double) h, geo.factors()[1], 0.02, "face-api pads the bottom to a square");
        assertEquals(geo.width(), geo.networkSquare().getWidth(), 0.5);
        assertEquals(geo.width(), geo.networkSquare().getHeight(), 1.0, "the square is as tall as the picture is wide");
        robot.interact(() -> {
            vm.layer().overlayOpacityProperty().set(1.0);
            vm.layer().overlayProperty().set(true);
        });
        WaitForAsyncUtils.waitForFxEvents();
        PixelReader px = canvas().getPixelReader();
        // points away from the face box: the colour is the map's cell under them, in the padded square
        Detection face = vm.detections().isEmpty() ? null : vm.detections().get(0);
        int checked = 0;
        for (int col : new int[] {3, 20, 45, 60}) {
            for (int row : new int[] {3, 20, 38}) { // row 38 is near the bottom: the photo ends at ~40 of 64
                double x = (col + 0.5) / 64 * geo.networkSquare().getWidth();
                double y = (row + 0.5) / 64 * geo.networkSquare().getHeight();
                Point2D img = geo.toImage(x, y);
                if (face != null && img.getX() > face.x1() - 30 && img.getX() < face.x2() + 60
                        && img.getY() > face.y1() - 30 && img.getY() < face.y2() + 10) {
                    continue;
                }
                byte[] b = heat.rgb().bytes();
                int k = (row * 64 + col) * 3;
                Color want = Color.rgb(b[k] & 0xff, b[k + 1] & 0xff, b[k + 2] & 0xff);
                Color got = px.getColor((int) x, (int) y);
                assertEquals(want.getRed(), got.getRed(), 0.02, "cell " + row + "," + col + " at " + x + "," + y);
                assertEquals(want.getGreen(), got.getGreen(), 0.02);
                assertEquals(want.getBlue(), got.getBlue(), 0.02);
                checked++;
            }
        }
        assertTrue(checked >= 8, "points checked: " + checked);
        // the bottom row of the picture shows map row ~40 of 64, not 63: the map is not stretched over it
        int bottomRow = (int) ((geo.height() - 1) / geo.networkSquare().getHeight() * 64);
        assertEquals(64.0 * h / w, bottomRow, 1.5);
        // the channel window says how the network sees the image
        robot.interact(() -> view.menu().getMenus().stream().filter(m -> m.getText().replace("_", "").equals("View")).findFirst()
                .orElseThrow().getItems().get(1).fire());
        WaitForAsyncUtils.waitForFxEvents();
        Stage big = (Stage) robot.listTargetWindows().stream().filter(x -> x instanceof Stage s && s.getTitle() != null
                && s.getTitle().startsWith("mobilenetv1.conv_5 — channel " + heat.channel())).findFirst().orElseThrow();
        String how = robot.from(big.getScene().getRoot()).lookup((Label l) -> l.getText().startsWith("as the network"))
                .queryAs(Label.class).getText();
        assertEquals("as the network sees it: 512x512 after padding to a square (black, bottom/right), TF.js "
                + "resizeBilinear, x / 127.5 - 1", how);
        shot(view, "overlay-view.png");
        robot.interact(big::hide);
    }

    @Test
    void theTreeHasMultAddsAndReceptiveFieldsWithTotalsAndNothingIsCutOff(FxRobot robot) throws Exception {
        Model m = vm.modelProperty().get();
        TreeItem<Module> root = view.treePane().item("");
        assertEquals(Format.macs(m.graph().totalMacs()), view.treePane().column("Mult-Adds").getCellData(root));
        assertEquals(Format.count(m.tree().parameterCount()), view.treePane().column("Params").getCellData(root));
        TreeItem<Module> tap = view.treePane().item("base_net.14.conv.2");
        var info = m.info("base_net.14.conv.2");
        assertEquals(Format.field(info), view.treePane().column("RF").getCellData(tap));
        assertTrue(info.fieldRows() > 100, "a 19x19 map sees far: " + info.fieldRows());
        assertEquals(Format.macs(info.multiplyAdds()), view.treePane().column("Mult-Adds").getCellData(tap));
        assertEquals(Format.macs(19L * 19 * 576 * 96), view.treePane().column("Mult-Adds").getCellData(
                view.treePane().item("base_net.14.conv.0")), "96 -> 576 1x1 on 19x19");
        assertEquals(String.format(java.util.Locale.ROOT, "%.2f", vm.inspectionProperty().get().totalMillis()),
                view.treePane().column("ms").getCellData(root), "the root's time is the whole pass");
        assertNothingCut(robot, "mb2-ssd-lite");
        robot.interact(() -> vm.openModel("faces-v1", null));
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> vm.modelProperty().get().spec().name()
                .equals("faces-v1") && !vm.runningProperty().get());
        settle();
        robot.interact(() -> vm.select("prediction_layer.box_predictor_0.box_encoding_predictor"));
        WaitForAsyncUtils.waitForFxEvents();
        assertNothingCut(robot, "faces-v1");
        shot(view, "tree-columns.png");
    }

    @Test
    void theTreesNumbersAreWholeWhenTheNamesAreLong(FxRobot robot) throws Exception {
        robot.interact(() -> vm.openModel("objects-v2", null)); // TF scope paths, DEPTHWISE_CONV_2D: wider than the pane
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> vm.modelProperty().get().spec().name()
                .equals("objects-v2") && !vm.runningProperty().get());
        settle();
        robot.interact(() -> vm.select("FeatureExtractor/MobilenetV2/layer_19_2_Conv2d_5_3x3_s2_128"));
        WaitForAsyncUtils.waitForFxEvents();
        List<String> numeric = List.of("Params", "Mult-Adds", "RF", "ms");
        double right = 0;
        for (var c : view.tree().getVisibleLeafColumns()) {
            right += c.getWidth();
            if (numeric.contains(c.getUserData())) {
                assertTrue(right <= view.tree().getWidth() - 12, c.getUserData() + " ends at " + right + " of "
                        + view.tree().getWidth());
            }
        }
        int cells = 0;
        for (Node n : robot.lookup(".tree-table-cell").queryAll()) {
            if (n instanceof javafx.scene.control.TreeTableCell<?, ?> cell && cell.isVisible()
                    && numeric.contains(cell.getTableColumn().getUserData()) && cell.getText() != null
                    && !cell.getText().isEmpty()) {
                Text shown = robot.from(cell).lookup((Text x) -> true).queryAs(Text.class);
                assertEquals(cell.getText(), shown.getText(), "not cut");
                cells++;
            }
        }
        assertTrue(cells > 40, "numeric cells seen: " + cells);
        shot(view, "tree-columns-objects-v2.png");
    }

    /** No visible text in the tree, the chooser, the gallery header or the status bar is cut ("…" or JavaFX's "..."). */
    private void assertNothingCut(FxRobot robot, String when) {
        WaitForAsyncUtils.waitForFxEvents();
        List<String> cut = new ArrayList<>();
        for (String where : List.of("#moduleTree", "#modelChooser", "#galleryTitle", "#gallerySubtitle", "#statusBar",
                "#detectionsTable", "#shapeTrail")) {
            for (Node n : robot.lookup(where).queryAll()) {
                for (Text t : robot.from(n).lookup((Text x) -> x.isVisible()).queryAllAs(Text.class)) {
                    if (t.getText() != null && (t.getText().endsWith("…") || t.getText().endsWith("..."))) {
                        cut.add(where + ": " + t.getText());
                    }
                }
            }
        }
        assertEquals(List.of(), cut, "cut off (" + when + ")");
        double columns = view.tree().getColumns().stream().mapToDouble(c -> c.getWidth()).sum();
        assertTrue(columns <= view.tree().getWidth(), "all columns in view without scrolling (" + when + "): "
                + columns + " of " + view.tree().getWidth());
    }

    @Test
    void theBlockViewDrawsTheInvertedResidualWithItsCosts(FxRobot robot) throws Exception {
        robot.interact(() -> {
            vm.select("base_net.3.conv.4");
            view.showSideTab("Block");
        });
        settle();
        var v = vm.block().viewProperty().get();
        assertEquals("base_net.3", v.block().path());
        Set<String> texts = robot.from(view.blockPane()).lookup((Label l) -> true).queryAllAs(Label.class).stream()
                .map(Label::getText).collect(Collectors.toSet());
        for (String s : List.of("expand 1x1", "depthwise 3x3", "project 1x1 (linear)", "add", "75x75x24  (input)",
                "75x75x144", "75x75x24  (output)", "base_net.3 · InvertedResidual",
                "4 steps and a residual connection · " + Format.macs(v.block().macs()) + " mult-adds in all",
                Format.macs(75L * 75 * 144 * 24) + " mult-adds",
                "7.29M mult-adds (an ordinary 3x3 convolution: 1.05G)")) {
            assertTrue(texts.contains(s), "block view shows '" + s + "': " + texts);
        }
        long pictures = robot.from(view.blockPane()).lookup((ImageView i) -> i.getImage() != null).queryAll().size();
        assertEquals(5, pictures, "a thumbnail per tensor");
        // the step holding the selected batch norm is outlined; clicking a step selects its module
        Node dw = robot.from(view.blockPane()).lookup((Label l) -> l.getText().equals("depthwise 3x3"))
                .queryAs(Label.class).getParent();
        assertTrue(dw.getStyle().contains("#ff9900"), dw.getStyle());
        Node expand = robot.from(view.blockPane()).lookup((Label l) -> l.getText().equals("expand 1x1"))
                .queryAs(Label.class).getParent();
        robot.clickOn(expand);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("base_net.3.conv.2", vm.selectedPathProperty().get());
        shot(view, "block-view.png");
    }

    @Test
    void aVideoPlaysThroughTheNetworkWithPauseStepAndSeek(FxRobot robot, @TempDir Path dir) throws Exception {
        Path clip = TestImages.video(dir.resolve("clip.avi"), Repo.sample("astronaut.png"), 12, 10);
        robot.interact(() -> view.open(clip)); // the drag-and-drop route
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.video().openProperty().get()
                && vm.resultProperty().get().frame() == 0);
        settle();
        assertTrue(robot.lookup("#videoBar").query().isVisible());
        String gallerySource = vm.layer().layerProperty().get().source().toString();
        robot.clickOn("#stepButton");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.resultProperty().get().frame() == 1);
        settle();
        assertSame(vm.inspectionProperty().get(), vm.layer().layerProperty().get().source(),
                "the gallery follows the frame");
        assertFalse(gallerySource.equals(vm.layer().layerProperty().get().source().toString()));
        robot.interact(() -> vm.video().seek(6));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.resultProperty().get().frame() == 6);
        assertEquals(6, vm.video().positionProperty().get());
        robot.clickOn("#playButton");
        assertTrue(vm.video().playingProperty().get());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !vm.video().playingProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(11, vm.resultProperty().get().frame());
        String info = robot.lookup("#videoInfo").queryAs(Label.class).getText();
        assertTrue(info.startsWith("clip.avi · frame 12 / 12 · video 10 fps · shown "), info);
        shot(view, "video-view.png");
        // the keyboard moves the position slider, and each move seeks (the picture stayed at frame 12)
        javafx.scene.control.Slider slider = robot.lookup("#seekSlider").queryAs(javafx.scene.control.Slider.class);
        robot.interact(slider::requestFocus);
        robot.type(javafx.scene.input.KeyCode.HOME);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.resultProperty().get().frame() == 0);
        robot.type(javafx.scene.input.KeyCode.RIGHT); // one frame on
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.resultProperty().get().frame() == 1);
        // opening an image closes the video
        robot.interact(() -> vm.openImage(Repo.sample("coffee.png")));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.resultProperty().get().frame() < 0);
        assertFalse(vm.video().openProperty().get());
        assertFalse(robot.lookup("#videoBar").query().isVisible());
    }

    @Test
    void theTrailScrollsToADeepStepAndOneByOneMapsShowValues(FxRobot robot) throws Exception {
        javafx.scene.control.ScrollPane trail = robot.lookup("#shapeTrail").queryAs(javafx.scene.control.ScrollPane.class);
        robot.interact(() -> vm.select("base_net.0.0"));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, trail.getHvalue(), 1e-9, "the first steps are in view");
        robot.interact(() -> vm.select("extras.3"));
        settle();
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.ToggleButton step = robot.lookup((javafx.scene.control.ToggleButton b) ->
                b.getText().equals("1x1x64 ◆")).query();
        assertTrue(step.isSelected());
        javafx.geometry.Bounds b = step.localToScene(step.getBoundsInLocal());
        javafx.geometry.Bounds v = trail.localToScene(trail.getLayoutBounds());
        assertTrue(b.getMinX() >= v.getMinX() && b.getMaxX() <= v.getMaxX(), "the selected step is in view: " + b
                + " in " + v);
        // 1x1x64: each cell shows its channel's value
        LayerViewModel.LayerResult r = vm.layer().layerProperty().get();
        assertTrue(r.pointLike());
        List<String> values = robot.from(view.gallery()).lookup((Label l) -> l.getText().matches("-?[0-9.e+-]+"))
                .queryAllAs(Label.class).stream().map(Label::getText).toList();
        assertTrue(values.size() >= 10, "values shown: " + values);
        assertTrue(values.contains(String.format(java.util.Locale.ROOT, "%.4g", r.data().values[0])), values
                .toString());
        assertTrue(values.stream().distinct().count() > 5, "not all alike: " + values);
    }
}

package org.layerlens.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javafx.geometry.Point2D;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.MenuItem;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.paint.Color;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.api.Box;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.DetectorOutput;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.api.PriorMatch;
import org.layerlens.engine.api.PriorQuery;
import org.layerlens.engine.api.Provenance;
import org.layerlens.engine.explain.AnchorCoverage;
import org.layerlens.engine.explain.LayerMaps;
import org.layerlens.engine.ssd.HeadLayout;
import org.layerlens.viewer.ActivationMapViewModel;
import org.layerlens.viewer.ClassMapsViewModel;
import org.layerlens.viewer.CoverageViewModel;
import org.layerlens.viewer.ExplainViewModel;
import org.layerlens.viewer.FxImages;
import org.layerlens.viewer.InspectorView;
import org.layerlens.viewer.InspectorViewModel;
import org.layerlens.viewer.Notice;
import org.layerlens.viewer.PriorsViewModel;
import org.layerlens.viewer.pane.ClassMapsPane;
import org.layerlens.viewer.pane.FilePicker;
import org.layerlens.viewer.pane.GalleryPane;
import org.layerlens.viewer.pane.ImageGeometry;
import org.layerlens.viewer.pane.PriorsOverlay;
import org.layerlens.viewer.pane.QueryOverlay;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue 12's window parts in the real window, headless, on the real engine (random-weight
 * mb2-ssd-lite on coffee.png): a clicked detection explained (panel numbers against its
 * provenance, which is checked against the raw output), the head's module in the tree and its
 * cell on the gallery, a dragged box's best priors listed and drawn, the priors grid counted in
 * pixels, one class map per head, a layer map, the coverage chart of a VOC folder written here,
 * and the keys.
 */
@ExtendWith(ApplicationExtension.class)
class ExplainWindowTest {
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
    private InspectorViewModel vm;
    private InspectorView view;
    private ExplainViewModel explain;

    @Start
    void start(Stage stage) {
        vm = new InspectorViewModel(ModelRef::load);
        view = new InspectorView(vm);
        explain = view.explain().viewModel();
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

    private void settle() throws Exception {
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> vm.inspectionProperty().get() != null
                && !WaitForAsyncUtils.asyncFx(view::busy).get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static WritableImage snapshot(Node n) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> {
            SnapshotParameters p = new SnapshotParameters();
            p.setFill(Color.TRANSPARENT);
            return n.snapshot(p, null);
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

    private static List<Double> numbers(String s) {
        List<Double> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(s);
        while (m.find()) {
            out.add(Double.parseDouble(m.group()));
        }
        return out;
    }

    /** Some pixel within 2 px of (x, y) has the colour: antialiased lines spread over neighbouring pixels. */
    private static void assertColourNear(Color want, PixelReader px, double x, double y, String what) {
        Color closest = null;
        double bestD = Double.POSITIVE_INFINITY;
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                Color c = px.getColor((int) Math.round(x) + dx, (int) Math.round(y) + dy);
                double d = Math.abs(c.getRed() - want.getRed()) + Math.abs(c.getGreen() - want.getGreen())
                        + Math.abs(c.getBlue() - want.getBlue());
                if (d < bestD) {
                    bestD = d;
                    closest = c;
                }
            }
        }
        assertColour(want, closest, what + " near " + x + "," + y);
    }

    private static void assertColour(Color want, Color got, String what) {
        assertEquals(want.getRed(), got.getRed(), 0.06, what + ": " + got);
        assertEquals(want.getGreen(), got.getGreen(), 0.06, what + ": " + got);
        assertEquals(want.getBlue(), got.getBlue(), 0.06, what + ": " + got);
    }

    private String text(String id) {
        return view.explain().explainPane().value(id).getText();
    }

    /** The panel's numbers are the detection's provenance; the provenance is the raw output's at its prior. */
    private void assertPanelShows(Detection d, DetectorOutput out) {
        Provenance p = d.provenance();
        Model m = out.model();
        HeadLayout.Origin o = m.layout().locate(p.priorIndex());
        assertEquals(List.of(o.head(), o.row(), o.col(), o.anchor()), List.of(p.head(), p.row(), p.col(), p.anchor()));
        assertEquals(out.prior(p.priorIndex()), p.prior());
        assertArrayEquals(out.classScores(p.priorIndex()), p.classScores());

        List<Double> head = numbers(text("provHead"));
        assertEquals(List.of((double) p.head(), (double) m.layout().heads().size(), (double) p.rows(),
                (double) p.cols()), head.subList(0, 4), text("provHead"));
        assertTrue(text("provHead").endsWith("(classification_headers." + p.head() + ")"), text("provHead"));
        assertEquals(List.of((double) p.row(), (double) p.col()), numbers(text("provCell")));
        assertEquals(p.anchor(), numbers(text("provAnchor")).get(0));
        List<Double> prior = numbers(text("provPrior"));
        assertEquals(p.priorIndex(), prior.get(0));
        double[] pb = p.prior().toArray();
        for (int i = 0; i < 4; i++) {
            assertEquals(pb[i], prior.get(1 + i), 0.051, "prior " + text("provPrior"));
        }
        List<Double> off = numbers(text("provOffsets"));
        for (int i = 0; i < 4; i++) {
            assertEquals(p.offsets()[i], off.get(i), 5.1e-4, "offsets " + text("provOffsets"));
        }
        List<Double> dec = numbers(text("provDecoded"));
        double[] db = p.decoded().toArray();
        for (int i = 0; i < 4; i++) {
            assertEquals(db[i], dec.get(i), 0.051);
        }
        List<Double> rf = numbers(text("provField"));
        double[] rb = p.receptiveField().toArray();
        for (int i = 0; i < 4; i++) {
            assertEquals(rb[i], rf.get(i), 0.051, "field " + text("provField"));
        }
        // the object classes in the model's order, then the background apart (named so, whatever the labels say)
        float[] cs = p.classScores();
        float[] bars = new float[cs.length];
        System.arraycopy(cs, 1, bars, 0, cs.length - 1);
        bars[cs.length - 1] = cs[0];
        assertArrayEquals(bars, view.explain().explainPane().scores().scores());
        List<String> names = view.explain().explainPane().scores().labels();
        assertEquals(m.labels().subList(1, m.labels().size()), names.subList(0, names.size() - 1));
        assertEquals("background", names.get(names.size() - 1));
        assertEquals(p.suppressed(), view.explain().explainPane().suppressedTable().getItems());
    }

    @Test
    void aClickedDetectionIsExplainedInThePanelOnThePictureInTheTreeAndOnTheGallery(FxRobot robot) throws Exception {
        robot.interact(() -> vm.thresholdProperty().set(0.2));
        List<Detection> all = List.copyOf(vm.detections());
        assertTrue(all.size() >= 3, "detections on coffee.png at 0.2: " + all.size());
        DetectorOutput out = vm.inspectionProperty().get().output();
        ImageGeometry geo = view.imagePane().geometry();
        Detection target = null;
        for (Detection d : all) {
            Box rf = d.provenance().receptiveField();
            if (vm.detectionAt((d.x1() + d.x2()) / 2, (d.y1() + d.y2()) / 2).orElse(null) == d && rf.area() > 0) {
                target = d;
                break;
            }
        }
        assertNotNull(target, "a box whose centre picks it");
        assertEquals("Channels", view.sideTab());
        Point2D centre = geo.toCanvas((target.x1() + target.x2()) / 2, (target.y1() + target.y2()) / 2);
        robot.clickOn(view.imagePane().canvas().localToScreen(centre));
        WaitForAsyncUtils.waitForFxEvents();
        assertSame(target, vm.selectedDetectionProperty().get());
        assertSame(target, explain.detectionProperty().get());
        assertEquals("Explain", view.sideTab(), "a click on a box shows why");
        assertPanelShows(target, out);
        Provenance p = target.provenance();

        // on the picture: the prior (white on black) and its centre
        PixelReader px = snapshot(view.imagePane().canvas()).getPixelReader();
        Box pr = p.prior();
        Point2D left = geo.toCanvas(pr.x1(), (pr.y1() + pr.y2()) / 2);
        // the detection's own box is drawn over its prior: look where they do not meet
        if (left.getX() >= 2 && Math.abs(pr.x1() - target.x1()) * geo.scale() > 4) {
            assertColourNear(Color.WHITE, px, left.getX(), left.getY(), "prior's left edge");
        }
        Point2D c = geo.toCanvas((pr.x1() + pr.x2()) / 2, (pr.y1() + pr.y2()) / 2);
        assertColourNear(Color.WHITE, px, c.getX(), c.getY(), "the prior's centre");

        // the tree selects the module of the head's class scores (after the pulse that showed the panel)
        WaitForAsyncUtils.waitForFxEvents();
        String module = "classification_headers." + p.head();
        assertEquals(module, vm.selectedPathProperty().get());
        assertEquals(module, view.tree().getSelectionModel().getSelectedItem().getValue().path());

        // the gallery marks the cell on every thumbnail
        robot.interact(() -> view.showSideTab("Channels"));
        settle();
        assertEquals(module, vm.layer().layerProperty().get().path());
        GalleryPane g = view.galleryPane();
        List<Rectangle2D> marks = WaitForAsyncUtils.asyncFx(g::shownMarks).get();
        assertTrue(marks.size() >= 8, "marks on the thumbnails shown: " + marks.size());
        double side = GalleryPane.THUMB; // a square map fills the thumbnail
        for (Rectangle2D r : marks) {
            assertEquals(p.col() * side / p.cols(), r.getMinX(), 0.5);
            assertEquals(p.row() * side / p.rows(), r.getMinY(), 0.5);
            assertEquals(side / p.cols(), r.getWidth(), 0.5);
        }
        shot(view, "explain-gallery-mark.png");

        // N moves to the next detection: the panel and the overlays follow
        robot.interact(() -> view.tree().requestFocus());
        robot.type(KeyCode.E);
        assertEquals("Explain", view.sideTab());
        robot.type(KeyCode.N);
        Detection next = all.get((all.indexOf(target) + 1) % all.size());
        assertSame(next, explain.detectionProperty().get());
        assertPanelShows(next, out);
        PixelReader after = snapshot(view.imagePane().canvas()).getPixelReader();
        Box np = next.provenance().prior();
        Point2D nc = geo.toCanvas((np.x1() + np.x2()) / 2, (np.y1() + np.y2()) / 2);
        assertColourNear(Color.WHITE, after, nc.getX(), nc.getY(), "the next prior's centre");
        robot.press(KeyCode.SHIFT).type(KeyCode.N).release(KeyCode.SHIFT);
        assertSame(target, explain.detectionProperty().get());
        assertPanelShows(target, out);
        shot(view, "explain-provenance.png");
    }

    @Test
    void aDraggedBoxListsAndDrawsItsBestPriors(FxRobot robot) throws Exception {
        ImageGeometry geo = view.imagePane().geometry();
        Canvas canvas = view.imagePane().canvas();
        Point2D a = new Point2D(geo.width() * 0.05, geo.height() * 0.06);
        Point2D b = new Point2D(geo.width() * 0.16, geo.height() * 0.2);
        robot.moveTo(canvas.localToScreen(a)).press(MouseButton.PRIMARY).moveTo(canvas.localToScreen(b))
                .release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> explain.query().answerProperty().get() != null
                && explain.query().answerProperty().get().query().box().equals(explain.query().boxProperty().get())
                && !explain.query().busyProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        Box box = explain.query().boxProperty().get();
        double px1 = 1 / geo.scale() + 1e-9;
        assertEquals(a.getX() / geo.scale(), box.x1(), px1);
        assertEquals(a.getY() / geo.scale(), box.y1(), px1);
        assertEquals(b.getX() / geo.scale(), box.x2(), px1);
        assertEquals(b.getY() / geo.scale(), box.y2(), px1);
        assertEquals("Explain", view.sideTab(), "the answer is shown");
        DetectorOutput out = vm.inspectionProperty().get().output();
        PriorQuery want = out.query(box, 5);
        List<PriorMatch> listed = view.explain().explainPane().bestPriorsTable().getItems();
        assertEquals(5, listed.size());
        for (int k = 0; k < 5; k++) {
            assertEquals(want.best().get(k).priorIndex(), listed.get(k).priorIndex());
            assertEquals(out.prior(listed.get(k).priorIndex()).iou(box), listed.get(k).iou(), 1e-12);
        }
        // the selected prior's decoded box as the CLI prints it: unclipped, noted where outside the image
        assertTrue(view.explain().explainPane().bestScoresTitle().getText().contains("decodes to "
                + listed.get(0).decodedText(out.imageWidth(), out.imageHeight()) + ";"),
                view.explain().explainPane().bestScoresTitle().getText());
        String verdict = view.explain().explainPane().verdictLabel().getText();
        assertTrue(verdict.endsWith(want.verdict()), verdict);
        assertTrue(verdict.startsWith(want.matched() ? "✔" : "✘"), verdict);
        // drawn: the best prior in green (reaches the match threshold) or orange (does not), on top of the others
        PixelReader px = snapshot(canvas).getPixelReader();
        PriorMatch best = listed.get(0);
        Color want0 = best.iou() >= want.matchThreshold() ? QueryOverlay.MATCHED : QueryOverlay.UNMATCHED;
        Box pb = best.prior();
        Point2D edge = geo.toCanvas(pb.x2(), (pb.y1() + pb.y2()) / 2);
        assertTrue(edge.getX() < geo.width() - 2, "the best prior's right edge is on the picture");
        assertColourNear(want0, px, edge.getX(), edge.getY(), "the best prior's right edge");
        shot(view, "explain-query.png");
        // Escape forgets it
        robot.interact(() -> view.tree().requestFocus());
        robot.type(KeyCode.ESCAPE);
        assertNull(explain.query().boxProperty().get());
        assertTrue(view.explain().explainPane().bestPriorsTable().getItems().isEmpty());
        // the keyboard's way: B, type the box, Enter
        robot.type(KeyCode.B);
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.DialogPane dialog = robot.listTargetWindows().stream()
                .filter(w -> w.getScene() != null && w.getScene().getRoot() instanceof javafx.scene.control.DialogPane)
                .map(w -> (javafx.scene.control.DialogPane) w.getScene().getRoot()).findFirst().orElseThrow();
        javafx.scene.control.TextField field = robot.from(dialog).lookup(".text-field")
                .queryAs(javafx.scene.control.TextField.class);
        robot.interact(() -> field.setText("20,30,140,120"));
        robot.interact(() -> ((javafx.scene.control.Button) dialog.lookupButton(javafx.scene.control.ButtonType.OK))
                .fire());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> explain.query().answerProperty().get() != null);
        assertEquals(new Box(20, 30, 140, 120), explain.query().boxProperty().get());
        assertEquals(out.query(new Box(20, 30, 140, 120), 5).verdict(),
                explain.query().answerProperty().get().query().verdict());
    }

    @Test
    void thePriorsToggleDrawsOneDotPerCellOfTheHeadAndTheAnchorsUnderThePointer(FxRobot robot) throws Exception {
        Model m = vm.modelProperty().get();
        assertEquals(0, explain.priors().headProperty().get(), "the first source selected: head 0");
        robot.interact(() -> view.tree().requestFocus());
        robot.type(KeyCode.P);
        assertTrue(explain.priors().visibleProperty().get());
        assertDots(m.layout().heads().get(0));
        robot.type(KeyCode.CLOSE_BRACKET);
        assertEquals(1, explain.priors().headProperty().get());
        HeadLayout.Head h1 = m.layout().heads().get(1);
        assertDots(h1);
        // the pointer over a cell draws that cell's anchors
        PriorsViewModel.Grid grid = explain.priors().gridProperty().get();
        double[] centre = grid.centre(5, 5);
        ImageGeometry geo = view.imagePane().geometry();
        robot.moveTo(view.imagePane().canvas().localToScreen(geo.toCanvas(centre[0] + 2, centre[1] - 2)));
        WaitForAsyncUtils.waitForFxEvents();
        var cell = explain.priors().hoverProperty().get();
        assertEquals(List.of(1, 5, 5), List.of(cell.head(), cell.row(), cell.col()));
        PriorsOverlay overlay = view.explain().priorsOverlay();
        assertEquals(cell, overlay.shownCell());
        Box widest = grid.anchors(5, 5).stream().max((x, y) -> Double.compare(x.width(), y.width())).orElseThrow();
        Point2D edge = geo.toCanvas(widest.x1(), (widest.y1() + widest.y2()) / 2 - 20 / geo.scale());
        PixelReader px = snapshot(view.imagePane().canvas()).getPixelReader();
        assertColourNear(PriorsOverlay.ANCHOR, px, edge.getX(), edge.getY(), "the widest anchor's left edge");
        shot(view, "explain-priors.png");
        robot.type(KeyCode.P);
        assertNull(explain.priors().gridProperty().get());
    }

    /** Every cell centre of the head is a white dot on the overlay canvas: as many dots as cells. */
    private void assertDots(HeadLayout.Head h) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        PriorsViewModel.Grid grid = explain.priors().gridProperty().get();
        assertEquals(h.rows() * h.cols(), grid.cells());
        ImageGeometry geo = view.imagePane().geometry();
        PixelReader px = snapshot(view.imagePane().canvas()).getPixelReader();
        int white = 0;
        for (int i = 0; i < grid.cells(); i++) {
            Point2D p = geo.toCanvas(grid.centres()[2 * i], grid.centres()[2 * i + 1]);
            Color c = px.getColor((int) p.getX(), (int) p.getY());
            if (c.getOpacity() > 0.9 && c.getRed() > 0.9 && c.getGreen() > 0.9 && c.getBlue() > 0.9) {
                white++;
            }
        }
        assertEquals(h.rows() * h.cols(), white, "white dots at the cell centres of head " + h.index());
    }

    @Test
    void theClassMapsTabShowsOneMapPerHeadAndTheLayerMapFollowsTheModule(FxRobot robot) throws Exception {
        Model m = vm.modelProperty().get();
        DetectorOutput out = vm.inspectionProperty().get().output();
        robot.interact(() -> view.tree().requestFocus());
        robot.press(KeyCode.SHIFT).type(KeyCode.E).release(KeyCode.SHIFT);
        assertEquals("Class Maps", view.sideTab());
        for (int step = 0; step < 2; step++) {
            settle();
            ClassMapsViewModel.Maps maps = explain.classMaps().mapsProperty().get();
            List<ClassMapsPane.Tile> tiles = view.explain().classMapsPane().tiles();
            assertEquals(m.layout().heads().size(), tiles.size(), "one map per head");
            for (ClassMapsPane.Tile t : tiles) {
                HeadLayout.Head h = m.layout().heads().get(t.map().head());
                assertEquals(List.of(h.rows(), h.cols()), List.of(t.map().rows(), t.map().cols()));
                assertArrayEquals(out.classMap(h.index(), maps.classId()), t.map().scores());
                assertTrue(t.title().getText().startsWith("head " + h.index() + " · " + h.rows() + "x" + h.cols()));
                assertTrue(t.canvas().isVisible() && t.canvas().getWidth() > 100);
            }
            int was = maps.classId();
            robot.type(KeyCode.C);
            assertEquals(was % (m.classes() - 1) + 1, explain.classMaps().classIdProperty().get());
        }
        // a selected detection's cell is outlined on its head's map
        robot.interact(() -> {
            vm.thresholdProperty().set(0.2);
            vm.selectedDetectionProperty().set(vm.detections().get(0));
        });
        settle();
        Provenance p = vm.selectedDetectionProperty().get().provenance();
        ClassMapsPane.Tile t = view.explain().classMapsPane().tiles().get(p.head());
        PixelReader px = snapshot(t.canvas()).getPixelReader();
        double cw = t.canvas().getWidth() / p.cols();
        double ch = t.canvas().getHeight() / p.rows();
        assertColourNear(Color.WHITE, px, p.col() * cw + cw / 2, p.row() * ch, "the cell's top edge on head " + p.head());
        shot(view, "explain-class-maps.png");

        // M: where the selected module looks, over the picture
        robot.interact(() -> vm.select("base_net.7"));
        robot.interact(() -> view.tree().requestFocus());
        robot.type(KeyCode.M);
        assertEquals(ActivationMapViewModel.Mode.MEAN, explain.activation().modeProperty().get());
        settle();
        var map = explain.activation().mapProperty().get();
        assertEquals("base_net.7", map.path());
        assertArrayEquals(LayerMaps.meanActivation(vm.layer().layerProperty().get().data()), map.values());
    }

    @Test
    void aLongLayerMapCaptionNeitherWidensThePictureNorHidesTheModulesName(FxRobot robot) throws Exception {
        robot.interact(() -> vm.openModel("objects-v2", null)); // TF scope paths: a long caption
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> vm.modelProperty().get().spec().name()
                .equals("objects-v2") && !vm.runningProperty().get());
        String path = "FeatureExtractor/MobilenetV2/expanded_conv_13/expand";
        robot.interact(() -> vm.select(path));
        settle();
        double tree = view.tree().getWidth();
        robot.interact(() -> explain.activation().modeProperty().set(ActivationMapViewModel.Mode.EIGEN_CAM));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> explain.activation().mapProperty().get() != null
                && explain.activation().mapProperty().get().path().equals(path));
        settle();
        javafx.scene.control.Label note = robot.lookup("#layerMapNote").queryAs(javafx.scene.control.Label.class);
        assertTrue(note.getText().contains(path), note.getText());
        assertEquals(tree, view.tree().getWidth(), 0.5, "the tree keeps its width");
        javafx.scene.text.Text shown = robot.from(note).lookup((javafx.scene.text.Text x) -> true)
                .queryAs(javafx.scene.text.Text.class);
        assertTrue(shown.getText().contains("/expand ("), "the module's own name shows: " + shown.getText());
        shot(view, "explain-eigencam-objects-v2.png");
    }

    @Test
    void theCoverageChartOpensForAVocFolder(FxRobot robot, @TempDir Path dir) throws Exception {
        Model m = vm.modelProperty().get();
        String a = m.labels().get(1);
        Files.writeString(dir.resolve("one.xml"), "<annotation><size><width>300</width><height>300</height></size>"
                + obj(a, 20, 20, 120, 120) + obj(m.labels().get(2), 150, 160, 290, 280) + "</annotation>");
        Files.writeString(dir.resolve("two.xml"), "<annotation><size><width>640</width><height>480</height></size>"
                + obj(a, 10, 10, 40, 40) + "</annotation>");
        Files.writeString(dir.resolve("bad.xml"), "<annotation><size><width>300</width><height>300</height></size>"
                + obj("zebra", 1, 1, 50, 50) + "</annotation>");
        view.setFilePicker(new FilePicker() {
            @Override
            public Path open(Node owner, String what, List<FileChooser.ExtensionFilter> filters) {
                return null;
            }

            @Override
            public Path save(Node owner, String title, String name, String ext) {
                return null;
            }

            @Override
            public Path folder(Node owner, String title) {
                return dir;
            }
        });
        int notices = vm.notices().size();
        MenuItem item = view.menu().getMenus().get(0).getItems().stream()
                .filter(i -> "Anchor Coverage of a Dataset…".equals(i.getText())).findFirst().orElseThrow();
        robot.interact(item::fire);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> explain.coverage().coverageProperty().get() != null
                && !explain.coverage().runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        Stage win = view.explain().coverageWindow().stage();
        assertTrue(win.isShowing());
        assertEquals("Anchor coverage", win.getTitle());
        var chart = view.explain().coverageWindow().chart().getImage();
        assertEquals(CoverageViewModel.CHART_WIDTH, chart.getWidth());
        assertEquals(CoverageViewModel.CHART_HEIGHT, chart.getHeight());
        List<AnchorCoverage.Bin> sizes = view.explain().coverageWindow().sizeTable().getItems();
        assertEquals(3, sizes.stream().mapToInt(AnchorCoverage.Bin::boxes).sum(), "every box of the two good files");
        assertEquals(3, view.explain().coverageWindow().aspectTable().getItems().stream()
                .mapToInt(AnchorCoverage.Bin::boxes).sum());
        AnchorCoverage.Result r = explain.coverage().coverageProperty().get().result();
        assertEquals(r.matched(), sizes.stream().mapToInt(AnchorCoverage.Bin::matched).sum());
        List<Notice> added = vm.notices().subList(notices, vm.notices().size());
        assertEquals(1, added.size(), added.toString());
        assertTrue(added.get(0).text().contains("1 annotation file(s) skipped") && added.get(0).text()
                .contains("bad.xml"), added.get(0).text());
        shot(win.getScene().getRoot(), "explain-coverage.png");
        robot.interact(win::hide);
    }

    private static String obj(String name, int x1, int y1, int x2, int y2) {
        return String.format(Locale.ROOT, "<object><name>%s</name><bndbox><xmin>%d</xmin><ymin>%d</ymin><xmax>%d"
                + "</xmax><ymax>%d</ymax></bndbox></object>", name, x1, y1, x2, y2);
    }
}

package org.layerlens.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.prefs.Preferences;

import javafx.application.Platform;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Spinner;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import org.controlsfx.control.GridCell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.analysis.Calibration;
import org.layerlens.engine.api.EngineThreads;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.nn.Detector;
import org.layerlens.engine.nn.Module;
import org.layerlens.viewer.CompareSource;
import org.layerlens.viewer.CompareViewModel;
import org.layerlens.viewer.DatasetStatsViewModel;
import org.layerlens.viewer.DifferenceViewModel;
import org.layerlens.viewer.FxImages;
import org.layerlens.viewer.InspectorView;
import org.layerlens.viewer.InspectorViewModel;
import org.layerlens.viewer.Notice;
import org.layerlens.viewer.Settings;
import org.layerlens.viewer.pane.CompareColumn;
import org.layerlens.viewer.pane.FilePicker;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Compare mode, dataset statistics and the threads setting in the real window (headless), on the
 * real engine: a model with one layer changed and one with channels forced dead, both made through
 * the engine's API from the committed checkpoint (and, where reference/make_analysis.py ran, the
 * same from files written by torch.save).
 */
@ExtendWith(ApplicationExtension.class)
class CompareWindowTest {
    private static final String PREFS = "org/layerlens/test-compare-window-" + ProcessHandle.current().pid();
    private final BlockingQueue<Path> answers = new LinkedBlockingQueue<>();
    private InspectorViewModel vm;
    private InspectorView view;
    private static int threadsBefore;

    @BeforeAll
    static void prefs() {
        System.setProperty("layerlens.prefs", PREFS); // the settings this test writes stay apart from the user's
        threadsBefore = EngineThreads.get();
    }

    @AfterAll
    static void forget() throws Exception {
        Preferences.userRoot().node(PREFS).removeNode();
        System.clearProperty("layerlens.prefs");
        EngineThreads.set(threadsBefore);
    }

    @Start
    void start(Stage stage) throws Exception {
        Model dead = deadChannels();
        vm = new InspectorViewModel((ref, labels) -> ref.equals("dead") ? dead : ModelRef.load(ref, labels));
        view = new InspectorView(vm);
        view.setFilePicker(new FilePicker() {
            @Override
            public Path open(Node owner, String what, List<FileChooser.ExtensionFilter> filters) {
                return answers.poll();
            }

            @Override
            public Path save(Node owner, String title, String name, String ext) {
                return answers.poll();
            }

            @Override
            public Path folder(Node owner, String title) {
                return answers.poll();
            }
        });
        stage.setScene(InspectorView.scene(view));
        stage.show();
        this.stage = stage;
    }

    private Stage stage;

    @AfterEach
    void close() {
        WaitForAsyncUtils.waitForAsyncFx(10_000, () -> vm.close());
    }

    private void open(String ref, String image) throws Exception {
        WaitForAsyncUtils.waitForAsyncFx(10_000, () -> vm.open(ref, null, Repo.sample(image)));
        settle();
    }

    private void settle() throws Exception {
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> vm.inspectionProperty().get() != null
                && !WaitForAsyncUtils.asyncFx(view::busy).get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    // ---------------------------------------------------------------- models changed through the engine API

    private static Model edited(String name, Consumer<Detector> edit) throws Exception {
        Model m = Model.open(Repo.randomModel(), null);
        edit.accept(m.tree());
        return Model.of(m.spec(), m.tree(), m.classes(), name, m.source(), m.labels(), m.notes(), m.notComparable());
    }

    private static float[] param(Detector t, String module, String name) {
        return t.find(module).params().get(name).value().data();
    }

    /** reference/make_analysis.py's changed.pth: output channel 3 of base_net.7.conv.3's weights x1.5. */
    static Model changedLayer() throws Exception {
        return edited("changed.pth (made here)", t -> {
            float[] w = param(t, "base_net.7.conv.3", "weight");
            int per = w.length / (int) t.find("base_net.7.conv.3").params().get("weight").shape()[0];
            for (int i = 3 * per; i < 4 * per; i++) {
                w[i] *= 1.5f;
            }
        });
    }

    /** make_analysis.py's dead.pth: channels 5 and 77 of base_net.3.conv's expansion dead, 100 at ReLU6's ceiling. */
    static Model deadChannels() throws Exception {
        return edited("dead.pth (made here)", t -> {
            float[] w = param(t, "base_net.3.conv.0", "weight");
            int per = w.length / (int) t.find("base_net.3.conv.0").params().get("weight").shape()[0];
            for (int[] cb : new int[][] {{5, -1}, {77, -1}, {100, 10}}) {
                java.util.Arrays.fill(w, cb[0] * per, (cb[0] + 1) * per, 0f);
                param(t, "base_net.3.conv.1", "running_mean")[cb[0]] = 0;
                param(t, "base_net.3.conv.1", "running_var")[cb[0]] = 1;
                param(t, "base_net.3.conv.1", "weight")[cb[0]] = 1;
                param(t, "base_net.3.conv.1", "bias")[cb[0]] = cb[1];
            }
        });
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

    @SuppressWarnings("unchecked")
    private TreeTableColumn<Module, String> compareColumn() {
        return (TreeTableColumn<Module, String>) view.tree().getColumns().stream()
                .filter(c -> CompareColumn.TITLE.equals(c.getUserData())).findFirst().orElse(null);
    }

    // ---------------------------------------------------------------- tests

    @Test
    void aChangedLayerShowsInTheColumnAndDGoesToIt(FxRobot robot) throws Exception {
        open(Repo.randomModel().toString(), "coffee.png");
        assertNull(compareColumn(), "no comparison column outside compare mode");
        Model changed = changedLayer();
        robot.interact(() -> {
            view.showSideTab("Compare");
            vm.compare().start(new CompareSource.Loaded(changed));
        });
        settle();
        TreeTableColumn<Module, String> col = compareColumn();
        assertNotNull(col);
        assertEquals(1, view.tree().getColumns().indexOf(col), "beside the module's name");
        assertEquals("0", col.getCellData(view.treePane().item("base_net.0.0")), "identical before the change");
        // the figure the comparison holds for that module, shown to three digits
        assertShows(vm.compare().resultProperty().get().comparison().module("base_net.7.conv.3").metrics().relErr(),
                col.getCellData(view.treePane().item("base_net.7.conv.3")));
        assertEquals("base_net.7.conv.3", vm.compare().firstDivergentProperty().get());
        Label first = robot.lookup("#compareFirst").queryAs(Label.class);
        assertTrue(first.getText().startsWith("First divergent: base_net.7.conv.3"), first.getText());

        // D (the Tools menu's key) goes there and picks the channel that was changed
        robot.interact(() -> view.tree().requestFocus());
        robot.type(KeyCode.D);
        settle();
        assertEquals("base_net.7.conv.3", vm.selectedPathProperty().get());
        assertEquals("base_net.7.conv.3", view.tree().getSelectionModel().getSelectedItem().getValue().path());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.layer().selectedChannelProperty().get() == 3);
        settle();
        DifferenceViewModel.Tiles t = vm.compare().difference().tilesProperty().get();
        assertEquals(3, t.channel());
        assertTrue(t.channelDiffMax() > 0 && t.channelDiffMax() == t.layerDiffMax(), t.caption());
        // the highlighted cell: the first divergent module's, orange, with the reason in its tooltip
        List<String> styles = new ArrayList<>();
        for (Node n : robot.lookup(".tree-table-cell").queryAll()) {
            if (n instanceof javafx.scene.control.TreeTableCell<?, ?> cell && cell.getTableColumn() == col
                    && cell.getTableRow() != null && cell.getTableRow().getItem() instanceof Module m
                    && m.path().equals("base_net.7.conv.3")) {
                styles.add(cell.getStyle());
                assertTrue(cell.getTooltip().getText().contains("first module past the tolerance"));
            }
        }
        assertEquals(1, styles.size(), "the row is on screen");
        assertTrue(styles.get(0).contains("#ffc46b"), styles.get(0));
        shot(view, "compare-changed-layer.png");

        // on a 1280x720 laptop screen the first divergent module and its button are in view in the tab,
        // without scrolling, and the tab's content is no wider than the tab
        double w = stage.getWidth(), h = stage.getHeight();
        try {
            robot.interact(() -> {
                stage.setWidth(1280);
                stage.setHeight(720);
            });
            WaitForAsyncUtils.waitForFxEvents();
            Node side = robot.lookup("#sideTabs").query();
            javafx.geometry.Bounds tab = side.localToScene(side.getLayoutBounds());
            Node controls = robot.lookup("#compareControls").query();
            javafx.geometry.Bounds viewport = controls.localToScene(controls.getLayoutBounds());
            for (String id : List.of("#compareFirst", "#compareGoFirst")) {
                Node n = robot.lookup(id).query();
                javafx.geometry.Bounds b = n.localToScene(n.getLayoutBounds());
                assertTrue(b.getMaxX() <= tab.getMaxX() + 0.5 && b.getMaxY() <= viewport.getMaxY() + 0.5
                        && b.getMinY() >= viewport.getMinY() - 0.5, id + " in view at 1280x720: " + b + " in tab "
                        + tab + ", controls " + viewport);
            }
            Node pane = robot.lookup("#comparePane").query();
            assertTrue(pane.getLayoutBounds().getWidth() <= side.getLayoutBounds().getWidth() + 0.5,
                    "the Compare tab fits its pane: " + pane.getLayoutBounds() + " in " + side.getLayoutBounds());
            shot(view, "compare-1280x720.png");
        } finally {
            robot.interact(() -> {
                stage.setWidth(w);
                stage.setHeight(h);
            });
        }

        // the figure can be SQNR instead, and compare mode can be left
        robot.interact(() -> vm.compare().metricProperty().set(CompareViewModel.Metric.SQNR));
        assertTrue(col.getCellData(view.treePane().item("base_net.7.conv.3")).endsWith(" dB"));
        robot.clickOn("#compareStop");
        assertNull(compareColumn());
    }

    @Test
    void theChangedCheckpointWrittenByTorchThroughTheFileDialog(FxRobot robot) throws Exception {
        String dir = System.getenv("LAYERLENS_ANALYSIS_DIR");
        org.junit.jupiter.api.Assumptions.assumeTrue(dir != null && !dir.isBlank(),
                "set LAYERLENS_ANALYSIS_DIR (made by reference/make_analysis.py)");
        open(Repo.randomModel().toString(), "coffee.png");
        robot.interact(() -> view.showSideTab("Compare"));
        @SuppressWarnings("unchecked")
        ComboBox<Object> kind = robot.lookup("#compareKind").queryAs(ComboBox.class);
        robot.interact(() -> kind.getSelectionModel().select(0)); // a model file…
        answers.add(Path.of(dir, "changed.pth"));
        robot.clickOn("#compareChooseModel");
        settle();
        assertEquals("base_net.7.conv.3", vm.compare().firstDivergentProperty().get());
        // PyTorch's relative error there (make_analysis.py, float64 runs), as the column shows it
        double torch = com.google.gson.JsonParser.parseString(Files.readString(Path.of(dir, "changed-figures.json")))
                .getAsJsonObject().getAsJsonObject("base_net.7.conv.3").get("relErr").getAsDouble();
        assertShows(torch, compareColumn().getCellData(view.treePane().item("base_net.7.conv.3")));
    }

    /**
     * A cell shows {@code value} in the column's form (three significant digits, "d.dde-xx"):
     * within half its last digit, plus 1e-3 of the value for the float32 arithmetic behind it.
     */
    private static void assertShows(double value, String cell) {
        assertTrue(cell.matches("\\d\\.\\d\\de[-+]\\d\\d"), "three significant digits: " + cell);
        double shown = Double.parseDouble(cell);
        double halfDigit = 0.5 * Math.pow(10, Math.floor(Math.log10(Math.abs(value))) - 2);
        assertTrue(Math.abs(shown - value) <= halfDigit + 1e-3 * Math.abs(value), cell + " shows " + value);
    }

    @Test
    void anImageAndItsMirrorImageShowTheColumnAndTheDifferenceGallery(FxRobot robot) throws Exception {
        open(Repo.randomModel().toString(), "coffee.png");
        robot.interact(() -> {
            view.showSideTab("Compare");
            vm.select("base_net.1.conv.0");
        });
        @SuppressWarnings("unchecked")
        ComboBox<Object> kind = robot.lookup("#compareKind").queryAs(ComboBox.class);
        assertEquals("this image, mirrored", kind.getValue().toString());
        // the empty pairs table says why it is empty (it said "no detections in either run" before any run)
        javafx.scene.control.TableView<?> pairs = robot.lookup("#compareDetections")
                .queryAs(javafx.scene.control.TableView.class);
        assertEquals("No comparison yet: choose what to compare with above",
                ((javafx.scene.control.Label) pairs.getPlaceholder()).getText());
        // a tolerance that is not a number goes back to the one in force, and says so (it went back unsaid)
        @SuppressWarnings("unchecked")
        ComboBox<String> tol = robot.lookup("#compareTolerance").queryAs(ComboBox.class);
        robot.interact(() -> tol.setValue("abc"));
        assertEquals("1e-3", tol.getValue());
        assertEquals("Tolerance 'abc' is not a number >= 0: kept 1e-3", vm.compare().statusProperty().get());
        long t0 = System.nanoTime();
        robot.clickOn("#compareRun");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> vm.compare().resultProperty().get() != null);
        long shown = System.nanoTime() - t0;
        settle();
        CompareViewModel.Result r = vm.compare().resultProperty().get();
        assertTrue(r.mirrored());
        System.out.printf(java.util.Locale.ROOT, "mirrored image in the window: comparison on screen %.0f ms after the "
                + "click (A's and B's passes %d ms, figures %d ms)%n", shown / 1e6, r.passMillis(), r.compareMillis());
        TreeTableColumn<Module, String> col = compareColumn();
        String v = col.getCellData(view.treePane().item("base_net.1.conv.0"));
        assertTrue(v.matches("\\d\\.\\d\\de[-+]\\d\\d"), "a relative error: " + v);
        // the |A−B| gallery: one tile per channel of the selected module, cut from one picture
        DifferenceViewModel.Layer d = vm.compare().difference().layerProperty().get();
        assertEquals("base_net.1.conv.0", d.path());
        var grid = view.comparePane().lookup("#differenceGallery");
        assertNotNull(grid);
        assertEquals(d.channels(), ((org.controlsfx.control.GridView<?>) grid).getItems().size());
        List<GridCell<?>> cells = robot.from(grid).lookup((Node n) -> n instanceof GridCell<?> c && c.getItem() != null
                && c.getGraphic() != null).queryAll().stream().<GridCell<?>>map(n -> (GridCell<?>) n).toList();
        assertFalse(cells.isEmpty(), "tiles on screen");
        Image mosaic = d.mosaicImage();
        assertNotNull(mosaic);
        // a tile whose channel differs is not one colour
        int c = 0;
        for (int i = 1; i < d.channels(); i++) {
            if (d.diff().channelMax(i) > d.diff().channelMax(c)) {
                c = i;
            }
        }
        var px = mosaic.getPixelReader();
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < d.tileH(); y++) {
            for (int x = 0; x < d.tileW(); x++) {
                colours.add(px.getArgb(d.tileX(c) + x, d.tileY(c) + y));
            }
        }
        assertTrue(colours.size() > 3, "channel " + c + "'s |A−B| tile has " + colours.size() + " colours");
        // a click on a tile selects its channel
        GridCell<?> cell = cells.stream().filter(x -> Integer.valueOf(1).equals(x.getItem())).findFirst().orElseThrow();
        robot.clickOn(cell);
        assertEquals(1, vm.layer().selectedChannelProperty().get());
        shot(view, "compare-mirrored.png");
    }

    @Test
    void datasetStatisticsListTheForcedDeadChannelsAndTheGalleryFramesThem(FxRobot robot, @TempDir Path tmp)
            throws Exception {
        open("dead", "coffee.png");
        Path dir = Files.createDirectory(tmp.resolve("images"));
        for (String n : List.of("coffee.png", "shapes-01.png", "shapes-02.png")) {
            Files.copy(Repo.sample(n), dir.resolve(n));
        }
        Files.writeString(dir.resolve("broken.jpg"), "not a jpeg");
        robot.interact(() -> view.showSideTab("Dataset"));
        answers.add(dir);
        robot.clickOn("#statsChooseFolder");
        settle();
        DatasetStatsViewModel.Run run = vm.datasetStats().runProperty().get();
        assertNotNull(run, vm.datasetStats().statusProperty().get());
        System.out.printf(java.util.Locale.ROOT, "dataset statistics in the window: %d images, %.2f images/s on %d "
                + "worker(s)%n", run.stats().images(), run.imagesPerSecond(), run.workers());
        assertEquals(3, run.stats().images());
        assertTrue(vm.notices().stream().anyMatch(n -> n.level() == Notice.Level.WARNING
                && n.text().contains("broken.jpg")), "a warning for the skipped file");
        var table = view.datasetStatsPane().problemsTable();
        DatasetStatsViewModel.Problem p = table.getItems().stream().filter(x -> x.path().equals("base_net.3.conv.2"))
                .findFirst().orElseThrow();
        assertTrue(p.channelsText().matches("dead (\\d+, )*5, (\\d+, )*77(, \\d+)*.* · saturated 100"),
                p.channelsText());
        // choosing the row selects the module; the gallery frames its dead channels in red
        robot.interact(() -> {
            table.getSelectionModel().select(p);
            table.scrollTo(p);
        });
        assertEquals("base_net.3.conv.2", vm.selectedPathProperty().get());
        robot.interact(() -> view.showSideTab("Channels"));
        settle();
        WaitForAsyncUtils.waitForFxEvents();
        GridCell<?> five = robot.from(view.gallery()).lookup((Node n) -> n instanceof GridCell<?> c
                && Integer.valueOf(5).equals(c.getItem())).queryAs(GridCell.class);
        assertTrue(five.getStyle().contains("#e00000"), "dead channel 5 framed red: " + five.getStyle());
        assertTrue(five.getTooltip().getText().contains("dead"), five.getTooltip().getText());
        GridCell<?> six = robot.from(view.gallery()).lookup((Node n) -> n instanceof GridCell<?> c
                && Integer.valueOf(6).equals(c.getItem())).queryAs(GridCell.class);
        assertFalse(six.getStyle().contains("#e00000"), "a live channel is not framed");
        shot(view, "dataset-gallery.png");

        // the range chart: hovering a dead channel's bar names it
        robot.interact(() -> view.showSideTab("Dataset"));
        WaitForAsyncUtils.waitForFxEvents();
        var chart = (org.layerlens.viewer.pane.ChannelRangeChart) view.datasetStatsPane().lookup("#channelRangeChart");
        var canvas = chart.canvas();
        double x = 52 + (5 + 0.5) * (canvas.getWidth() - 60) / 144;
        robot.moveTo(canvas.localToScreen(new Point2D(x, canvas.getHeight() / 2)));
        WaitForAsyncUtils.waitForFxEvents();
        Label readout = robot.lookup("#channelRangeReadout").queryAs(Label.class);
        assertTrue(readout.getText().startsWith("#5 ") && readout.getText().endsWith("dead"), readout.getText());
        shot(view, "dataset-stats.png");

        // exports from the tab, read back by the engine
        Path json = tmp.resolve("stats.json");
        answers.add(json);
        // fired, not clicked: the warning about broken.jpg may still cover the window's corner
        robot.interact(() -> robot.lookup("#statsExportJson").queryAs(Button.class).fire());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> Files.exists(json));
        Path cal = tmp.resolve("calibration.json");
        answers.add(cal);
        robot.interact(() -> robot.lookup("#statsExportCalibration").queryAs(Button.class).fire());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> Files.exists(cal));
        assertEquals(Calibration.read(json, Calibration.Choice.MINMAX).range("base_net.3.conv.2").scale(),
                Calibration.read(cal, Calibration.Choice.MINMAX).range("base_net.3.conv.2").scale(), 1e-7);
    }

    @Test
    void theThreadsSettingIsKeptAndReachesTheEngine(FxRobot robot) throws Exception {
        open(Repo.randomModel().toString(), "coffee.png");
        int want = EngineThreads.get() == 1 ? 2 : 1;
        MenuItem item = view.menu().getMenus().stream().filter(m -> m.getText().replace("_", "").equals("Tools")).findFirst()
                .orElseThrow().getItems().stream().filter(i -> "menuSettings".equals(i.getId())).findFirst()
                .orElseThrow();
        Platform.runLater(item::fire); // the dialog waits for its answer in a nested event loop
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#settingsDialog").tryQuery().isPresent());
        DialogPane pane = robot.lookup("#settingsDialog").queryAs(DialogPane.class);
        @SuppressWarnings("unchecked")
        Spinner<Integer> spinner = robot.lookup("#settingsThreads").queryAs(Spinner.class);
        // text that is no number: OK waits, nothing is thrown (it threw NumberFormatException on the FX thread)
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        List<Throwable> thrown = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> thrown.add(e));
        try {
            robot.interact(() -> spinner.getEditor().setText("abc"));
            assertTrue(pane.lookupButton(ButtonType.OK).isDisabled(), "OK waits for a whole number");
            robot.interact(() -> spinner.getEditor().commitValue());
            robot.interact(() -> spinner.commitValue());
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(List.of(), thrown);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
        robot.interact(() -> spinner.getValueFactory().setValue(want));
        assertFalse(pane.lookupButton(ButtonType.OK).isDisabled());
        robot.interact(() -> ((Button) pane.lookupButton(ButtonType.OK)).fire());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(want, EngineThreads.get(), "handed to the engine at once");
        assertEquals(want, Preferences.userRoot().node(PREFS).getInt("threads", 0), "kept in the preferences");
        assertTrue(vm.notices().stream().anyMatch(n -> n.text().contains(want + " thread(s)")));
        // the next start (GuiLauncher without --threads) applies it again
        EngineThreads.set(Settings.defaultThreads() == want ? Settings.maxThreads() : Settings.defaultThreads());
        Settings.shared().applyStored();
        assertEquals(want, EngineThreads.get());
        // and dataset statistics use it as their number of workers
        Path dir = Files.createTempDirectory("ll-threads");
        Files.copy(Repo.sample("shapes-01.png"), dir.resolve("a.png"));
        Files.copy(Repo.sample("shapes-02.png"), dir.resolve("b.png"));
        robot.interact(() -> vm.datasetStats().start(dir));
        settle();
        assertEquals(want, vm.datasetStats().runProperty().get().workers());
    }
}

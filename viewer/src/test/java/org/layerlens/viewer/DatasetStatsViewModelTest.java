package org.layerlens.viewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.analysis.Calibration;
import org.layerlens.engine.analysis.ModuleStats;
import org.layerlens.engine.api.EngineThreads;
import org.layerlens.engine.api.Model;

/** Dataset statistics' view model without a window, on a model with channels forced dead through the engine's API. */
class DatasetStatsViewModelTest {
    private final Fixtures fx = new Fixtures();
    private InspectorViewModel vm;

    @AfterEach
    void close() throws Exception {
        if (vm != null) {
            fx.onUi(vm::close);
        }
        fx.close();
    }

    @Test
    void theForcedChannelsAreListedMarkedAndExported(@TempDir Path tmp) throws Exception {
        Model dead = Fixtures.deadChannels();
        vm = new InspectorViewModel((ref, labels) -> dead, fx.services());
        fx.onUi(() -> vm.open("dead", null, Fixtures.sample("coffee.png")));
        fx.await(120, "the first result", () -> vm.inspectionProperty().get() != null);
        Path dir = Files.createDirectory(tmp.resolve("images"));
        for (String n : List.of("coffee.png", "shapes-01.png", "shapes-02.png")) {
            Files.copy(Fixtures.sample(n), dir.resolve(n));
        }
        Path bad = Files.writeString(dir.resolve("notes.jpg"), "not an image");
        Files.writeString(dir.resolve("shapes-01.xml"), "<annotation/>"); // VOC annotations are not images
        int threads = EngineThreads.get();
        DatasetStatsViewModel stats = vm.datasetStats();
        fx.onUi(() -> stats.start(dir));
        fx.await(300, "the statistics", () -> !stats.busy() && stats.runProperty().get() != null);
        DatasetStatsViewModel.Run run = fx.onUi(() -> stats.runProperty().get());
        assertEquals(3, run.stats().images());
        assertEquals(List.of(bad.toString()), run.stats().skipped());
        assertEquals(threads, run.workers(), "as many workers as the engine's threads");
        assertEquals(threads, EngineThreads.get(), "the engine's threads are back after the run");
        assertTrue(fx.onUi(() -> vm.notices().stream().anyMatch(n -> n.level() == Notice.Level.WARNING
                && n.text().contains("notes.jpg"))), "a warning names the skipped file");
        System.out.printf(java.util.Locale.ROOT, "dataset statistics in the view model: %d images in %.1f s, %.2f images/s "
                + "on %d worker(s)%n", run.stats().images(), run.seconds(), run.imagesPerSecond(), run.workers());

        DatasetStatsViewModel.Problem p = fx.onUi(() -> stats.problems().stream()
                .filter(x -> x.path().equals("base_net.3.conv.2")).findFirst().orElse(null));
        assertNotNull(p, "the ReLU6 after the forced channels is listed");
        assertTrue(contains(p.dead(), 5) && contains(p.dead(), 77), p.channelsText());
        assertArrayEquals(new int[] {100}, p.saturated());
        assertTrue(p.channelsText().startsWith("dead ") && p.channelsText().contains("saturated 100"), p.channelsText());
        // the figures of every listed channel say so: 0 everywhere, 6 everywhere
        ModuleStats ms = run.stats().module("base_net.3.conv.2");
        for (int c : p.dead()) {
            assertEquals(0f, ms.channels().get(c).min());
            assertEquals(0f, ms.channels().get(c).max());
        }
        assertEquals(6f, ms.channels().get(100).min());

        // the gallery's marks follow the selected module
        fx.onUi(() -> vm.select("base_net.3.conv.2"));
        assertTrue(fx.onUi(() -> stats.channelMarksProperty().get().apply(5)).startsWith("dead"));
        assertTrue(fx.onUi(() -> stats.channelMarksProperty().get().apply(100)).startsWith("saturated"));
        assertNull(fx.onUi(() -> stats.channelMarksProperty().get().apply(6)));
        assertEquals(ms, fx.onUi(() -> stats.selectedProperty().get()));

        // exports: the CLI's JSON and a calibration table, both read back by the engine
        Path json = tmp.resolve("stats.json");
        Path table = tmp.resolve("calibration.json");
        assertEquals(json, fx.onUi(() -> stats.exportJson(json)).get(60, TimeUnit.SECONDS));
        assertEquals(table, fx.onUi(() -> stats.exportCalibration(table, Calibration.Choice.P999))
                .get(60, TimeUnit.SECONDS));
        JsonObject root = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(3, root.get("images").getAsInt());
        Calibration fromJson = Calibration.read(json, Calibration.Choice.P999);
        Calibration fromTable = Calibration.read(table, Calibration.Choice.MINMAX);
        assertEquals(Calibration.Choice.P999, fromTable.choice());
        for (String path : List.of("base_net.0.0", "base_net.3.conv.2", "extras.1")) {
            assertEquals(fromJson.range(path).scale(), fromTable.range(path).scale(), 1e-6 * fromJson.range(path).scale(),
                    path);
            assertEquals(fromJson.range(path).zeroPoint(), fromTable.range(path).zeroPoint(), path);
        }
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList(),
                    "no temporary file left");
        }
    }

    /**
     * More warnings than are shown one by one: the closing notice counts the files skipped, not
     * the warnings (a subfolder not read and a truncated JPEG that was read are warnings too; it
     * said "4 files skipped" for 2).
     */
    @Test
    void theClosingNoticeCountsSkippedFilesNotWarnings(@TempDir Path tmp) throws Exception {
        vm = new InspectorViewModel(Fixtures::load, fx.services());
        fx.onUi(() -> vm.openModel(Fixtures.randomModel().toString(), null));
        fx.await(120, "the model", () -> vm.modelProperty().get() != null);
        Path dir = Files.createDirectory(tmp.resolve("mixed"));
        Files.copy(Fixtures.sample("coffee.png"), dir.resolve("coffee.png"));
        byte[] jpeg = Files.readAllBytes(Fixtures.sample("messi5.jpg"));
        Files.write(dir.resolve("cut.jpg"), java.util.Arrays.copyOf(jpeg, jpeg.length / 2));
        Files.writeString(dir.resolve("a.jpg"), "not an image");
        Files.writeString(dir.resolve("b.png"), "");
        Files.createDirectory(dir.resolve("more"));
        DatasetStatsViewModel stats = vm.datasetStats();
        fx.onUi(() -> stats.start(dir));
        assertEquals(dir, fx.onUi(() -> stats.folderProperty().get()), "the folder is named from the start of its run");
        fx.await(300, "the statistics", () -> !stats.busy() && stats.runProperty().get() != null);
        assertEquals(2, fx.onUi(() -> stats.runProperty().get()).stats().images(), "coffee.png and the cut JPEG");
        fx.await(10, "the closing notice", () -> vm.notices().stream()
                .anyMatch(n -> n.text().contains("skipped in all")));
        String closing = fx.onUi(() -> vm.notices().stream().map(Notice::text)
                .filter(t -> t.contains("skipped in all")).findFirst().orElseThrow());
        assertEquals("1 more warning(s) not shown; 2 file(s) of " + dir + " skipped in all (not readable images)",
                closing);
    }

    @Test
    void aFolderWithoutImagesIsOneLine(@TempDir Path tmp) throws Exception {
        vm = new InspectorViewModel(Fixtures::load, fx.services());
        fx.onUi(() -> vm.openModel(Fixtures.randomModel().toString(), null));
        fx.await(120, "the model", () -> vm.modelProperty().get() != null);
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        fx.onUi(() -> vm.datasetStats().start(empty));
        fx.await(60, "the error", () -> vm.errorProperty().get() != null);
        assertEquals(empty + ": no files to read (an empty folder)", fx.onUi(() -> vm.errorProperty().get()));
        Files.writeString(empty.resolve("a.txt"), "text");
        fx.onUi(() -> vm.errorProperty().set(null));
        fx.onUi(() -> vm.datasetStats().start(empty));
        fx.await(60, "the error", () -> vm.errorProperty().get() != null);
        assertEquals(empty + ": none of its 1 file(s) is a readable image", fx.onUi(() -> vm.errorProperty().get()));
        assertNull(fx.onUi(() -> vm.datasetStats().runProperty().get()));
    }

    private static boolean contains(int[] v, int x) {
        for (int i : v) {
            if (i == x) {
                return true;
            }
        }
        return false;
    }
}

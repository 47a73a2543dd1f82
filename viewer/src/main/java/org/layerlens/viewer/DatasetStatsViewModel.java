package org.layerlens.viewer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.layerlens.engine.analysis.Calibration;
import org.layerlens.engine.analysis.DatasetStats;
import org.layerlens.engine.analysis.ModuleStats;
import org.layerlens.engine.analysis.Statistics;
import org.layerlens.engine.analysis.StatsJson;
import org.layerlens.engine.api.EngineThreads;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.image.ImageFolder;
import org.layerlens.engine.io.AtomicFiles;
import org.layerlens.viewer.jobs.JobLane;

/**
 * Dataset statistics: the window's model over every image of a folder ({@link Statistics#run}),
 * on as many workers as the engine's thread setting, each pass on one engine thread (as the CLI's
 * {@code stats} does), with progress and Cancel. Files that are not readable images are skipped
 * with a warning. The result lists the modules with dead (0 everywhere) or saturated (6.0
 * everywhere) channels, marks those channels for the gallery, gives the selected module's
 * per-channel figures for the range chart, and exports as {@code stats --json} and as an int8
 * calibration table.
 */
public final class DatasetStatsViewModel {
    /** Notifications of skipped files shown while a run goes on; the rest are counted in one at its end. */
    static final int WARNINGS_SHOWN = 3;

    /** A finished run: where, on which model, the figures, and how long it took on how many workers. */
    public record Run(Path folder, Model model, DatasetStats stats, double seconds, int workers) {
        public double imagesPerSecond() {
            return stats.images() / Math.max(1e-9, seconds);
        }
    }

    /** A module with channels that never moved over the whole folder. */
    public record Problem(String path, String type, int channels, int[] dead, int[] saturated) {
        /** "dead 5, 77 · saturated 100" (the first 12 of each). */
        public String channelsText() {
            List<String> parts = new ArrayList<>();
            if (dead.length > 0) {
                parts.add("dead " + list(dead));
            }
            if (saturated.length > 0) {
                parts.add("saturated " + list(saturated));
            }
            return String.join(" · ", parts);
        }

        private static String list(int[] v) {
            List<String> s = new ArrayList<>();
            for (int i = 0; i < v.length && i < 12; i++) {
                s.add(Integer.toString(v[i]));
            }
            return String.join(", ", s) + (v.length > 12 ? ", … (" + v.length + ")" : "");
        }
    }

    private final InspectorViewModel vm;
    private final InspectorViewModel.Services services;
    private final JobLane lane;
    private final ReadOnlyObjectWrapper<Run> run = new ReadOnlyObjectWrapper<>();
    /** The folder being read, else the shown run's; null before any (the pane names it while a run goes on). */
    private final ReadOnlyObjectWrapper<Path> folder = new ReadOnlyObjectWrapper<>();
    private final ObservableList<Problem> problems = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<ModuleStats> selected = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<IntFunction<String>> marks = new ReadOnlyObjectWrapper<>(c -> null);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Choose a folder of images");

    DatasetStatsViewModel(InspectorViewModel vm, InspectorViewModel.Services services) {
        this.vm = vm;
        this.services = services;
        this.lane = new JobLane("dataset statistics", services.worker(), services.ui());
        vm.selectedPathProperty().addListener((o, a, b) -> follow());
        vm.modelProperty().addListener((o, a, b) -> follow());
    }

    // ---------------------------------------------------------------- state

    public ReadOnlyObjectProperty<Path> folderProperty() {
        return folder.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Run> runProperty() {
        return run.getReadOnlyProperty();
    }

    /** Modules with dead or saturated channels, in execution order. */
    public ObservableList<Problem> problems() {
        return problems;
    }

    /** The figures of the module selected in the window (null when the run has none, or is of another model). */
    public ReadOnlyObjectProperty<ModuleStats> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    /** For the gallery: why channel {@code c} of the selected module is marked ("dead: ..."), or null. */
    public ReadOnlyObjectProperty<IntFunction<String>> channelMarksProperty() {
        return marks.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return lane.runningProperty();
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return lane.progressProperty();
    }

    public boolean busy() {
        return lane.runningProperty().get();
    }

    // ---------------------------------------------------------------- commands (UI thread)

    /** Runs the window's model over every file of {@code folder} (not hidden ones, not VOC .xml annotations). */
    public void start(Path folder) {
        RunResult r = vm.resultProperty().get();
        if (r == null) {
            status.set("Open a model first");
            return;
        }
        Model m = r.model();
        int workers = EngineThreads.get();
        status.set("Reading " + folder + "…");
        this.folder.set(folder);
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        lane.submit(job -> compute(job, m, folder, workers, warnings), this::commit, x -> { },
                () -> {
                    status.set("Cancelled; " + (run.get() == null ? "no statistics yet" : "showing the previous run"));
                    this.folder.set(run.get() == null ? null : run.get().folder());
                },
                t -> {
                    this.folder.set(run.get() == null ? null : run.get().folder());
                    String msg = InspectorViewModel.message("Statistics of " + folder, t);
                    status.set("Failed: " + msg.lines().findFirst().orElse(msg));
                    vm.errorProperty().set(null);
                    vm.errorProperty().set(msg);
                });
    }

    public void cancel() {
        lane.cancel();
    }

    private Run compute(JobLane.Job job, Model m, Path folder, int workers, List<String> warnings) throws Exception {
        ImageFolder listing = ImageFolder.list(folder);
        List<Path> images = listing.nonEmpty("files to read");
        if (listing.subfoldersNotRead() != null) {
            warn(warnings, listing.subfoldersNotRead());
        }
        long t0 = System.nanoTime();
        AtomicLong lastStatus = new AtomicLong();
        // the workers share the cores: each pass runs on one engine thread, as the CLI's stats does
        EngineThreads.set(1);
        DatasetStats s;
        try {
            s = Statistics.run(m, images, workers, (done, total, what) -> {
                job.progress(done / (double) total);
                long now = System.nanoTime();
                if (now - lastStatus.get() > 200_000_000L || done == total) {
                    lastStatus.set(now);
                    double secs = (now - t0) / 1e9;
                    String line = String.format(Locale.ROOT, "%d of %d files · %.2f images/s · %s", done, total,
                            done / Math.max(1e-9, secs), what);
                    services.ui().execute(() -> {
                        if (lane.runningProperty().get()) {
                            status.set(line);
                        }
                    });
                }
            }, w -> warn(warnings, w), job::cancelled);
        } finally {
            if (EngineThreads.get() == 1) { // unless the settings changed it meanwhile
                EngineThreads.set(workers);
            }
        }
        if (s.images() == 0) {
            throw new IOException(folder + ": none of its " + images.size() + " file(s) is a readable image");
        }
        if (warnings.size() > WARNINGS_SHOWN) {
            // warnings are more than skipped files (a subfolder not read, a truncated JPEG that was read)
            int skipped = s.skipped().size();
            String more = String.format(Locale.ROOT, "%d more warning(s) not shown", warnings.size() - WARNINGS_SHOWN);
            services.ui().execute(() -> vm.notice(Notice.warning(skipped == 0 ? more : String.format(Locale.ROOT,
                    "%s; %d file(s) of %s skipped in all (not readable images)", more, skipped, folder))));
        }
        return new Run(folder, m, s, (System.nanoTime() - t0) / 1e9, workers);
    }

    private void warn(List<String> warnings, String w) {
        warnings.add(w);
        if (warnings.size() <= WARNINGS_SHOWN) {
            services.ui().execute(() -> vm.notice(Notice.warning(w)));
        }
    }

    private void commit(Run r) {
        run.set(r);
        List<Problem> found = new ArrayList<>();
        for (ModuleStats m : r.stats().modules()) {
            if (m.dead().length > 0 || m.saturated().length > 0) {
                found.add(new Problem(m.path(), m.type(), m.channels().size(), m.dead(), m.saturated()));
            }
        }
        problems.setAll(found);
        status.set(String.format(Locale.ROOT, "%s: %d image(s), %d skipped, %.1f s (%.2f images/s on %d worker(s)); "
                + "%d module(s) with dead or saturated channels", r.folder().getFileName(), r.stats().images(),
                r.stats().skipped().size(), r.seconds(), r.imagesPerSecond(), r.workers(), found.size()));
        follow();
    }

    /** The selected module's figures and marks, when the run is of the model on screen. */
    private void follow() {
        Run r = run.get();
        ModuleStats m = r == null || r.model() != vm.modelProperty().get() ? null
                : r.stats().module(vm.selectedPathProperty().get());
        selected.set(m);
        if (m == null || m.dead().length == 0 && m.saturated().length == 0) {
            marks.set(c -> null);
            return;
        }
        int images = r.stats().images();
        java.util.Map<Integer, String> why = new java.util.HashMap<>();
        for (int c : m.dead()) {
            why.put(c, "dead: exactly 0 on every value of all " + images + " images");
        }
        for (int c : m.saturated()) {
            why.put(c, "saturated: exactly 6.0 (ReLU6's ceiling) on every value of all " + images + " images");
        }
        marks.set(why::get);
    }

    // ---------------------------------------------------------------- exports

    /** The last run as {@code stats --json} writes it. */
    public CompletableFuture<Path> exportJson(Path f) {
        Run r = run.get();
        return r == null ? null : write(f, () -> StatsJson.write(r.stats()));
    }

    /** An int8 calibration table from the last run ({@code compare --calibration} reads it back). */
    public CompletableFuture<Path> exportCalibration(Path f, Calibration.Choice range) {
        Run r = run.get();
        if (r == null) {
            return null;
        }
        return write(f, () -> Calibration.fromStats(r.stats(), r.folder().toString(), range)
                .toJson(r.stats().modules().stream().map(ModuleStats::path).toList()));
    }

    private interface Text {
        String make();
    }

    /**
     * Writes on a worker, whole or not at all ({@link AtomicFiles}, as the command line does; a
     * temporary file of createTempFile's had left the exports private to their owner, 0600).
     */
    private CompletableFuture<Path> write(Path f, Text text) {
        // a failure is a dialog; the status line stays the run's (vm.fail would say a run failed)
        return Exports.onWorker(vm, services, f,
                tmp -> java.nio.file.Files.writeString(tmp, text.make(), java.nio.charset.StandardCharsets.UTF_8), c -> {
                    vm.errorProperty().set(null);
                    vm.errorProperty().set(InspectorViewModel.message("Writing " + f, c));
                });
    }

    void close() {
        lane.close();
    }
}

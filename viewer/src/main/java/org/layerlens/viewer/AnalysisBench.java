package org.layerlens.viewer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javafx.animation.AnimationTimer;
import javafx.application.Platform;

/**
 * {@code --measure} with {@code --compare} or {@code --dataset}: what compare mode and dataset
 * statistics cost in the window, printed, then exit (a benchmark, not a test). Compare: each
 * image is opened (the window's own pass), compare mode runs A's and B's inspect-all passes and
 * every module's figures, and the time from the passes ending to the comparison drawn (figures, commit, the next
 * frame) is what the user waits for once both passes are done. Dataset: one statistics run over
 * the folder, images per second.
 */
final class AnalysisBench {
    private final InspectorViewModel vm;
    private final List<Path> images;
    private final LayerLensApp.Analysis analysis;
    private final List<long[]> rows = new ArrayList<>();
    private int index;
    private long committed;
    private CompareViewModel.Result waiting;

    AnalysisBench(InspectorViewModel vm, List<Path> images, LayerLensApp.Analysis analysis) {
        this.vm = vm;
        this.images = images;
        this.analysis = analysis;
    }

    /** Call once the first result (warm-up, not counted) is on screen and compare mode or the run was started. */
    void start() {
        if (analysis.compare() == null) {
            vm.datasetStats().runProperty().addListener((o, a, r) -> {
                if (r != null) {
                    System.out.printf(Locale.ROOT, "dataset statistics in the window: %d images (%d skipped) in %.1f s "
                            + "= %.2f images/s on %d worker(s), %s%n", r.stats().images(), r.stats().skipped().size(),
                            r.seconds(), r.imagesPerSecond(), r.workers(), r.model().name());
                    Platform.exit();
                }
            });
            return;
        }
        AnimationTimer timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                if (waiting != null) {
                    long drawn = System.nanoTime();
                    rows.add(new long[] {waiting.passMillis(), waiting.compareMillis(), (drawn - committed) / 1_000_000});
                    waiting = null;
                    Platform.runLater(AnalysisBench.this::next);
                }
            }
        };
        vm.compare().resultProperty().addListener((o, a, r) -> {
            if (r != null) {
                committed = System.nanoTime();
                waiting = r; // the next pulse draws it
            }
        });
        timer.start();
    }

    private void next() {
        if (index >= images.size()) {
            report();
            Platform.exit();
            return;
        }
        vm.openImage(images.get(index++));
    }

    private void report() {
        rows.remove(0); // the warm-up image's comparison
        long[] pass = rows.stream().mapToLong(r -> r[0]).sorted().toArray();
        long[] after = rows.stream().mapToLong(r -> r[1] + r[2]).sorted().toArray();
        long[] commit = rows.stream().mapToLong(r -> r[2]).sorted().toArray();
        System.out.printf(Locale.ROOT, "compare with %s over %d images: A's and B's passes median %d ms; after both passes, "
                + "comparison on screen in median %d ms, max %d ms (figures + commit and frame; commit and frame "
                + "alone median %d ms) %s%n", analysis.compare().describe(), rows.size(), pass[pass.length / 2],
                after[after.length / 2], after[after.length - 1], commit[commit.length / 2], Arrays.toString(after));
    }
}

package org.layerlens.viewer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import org.layerlens.engine.api.Inspection;

/**
 * Measures the window as a user feels it: for each image, the time from asking to open it to
 * the first frame drawn with its tree shapes and detections; and, all along, the longest gap
 * between two JavaFX pulses (an AnimationTimer keeps pulses coming every frame, so a long gap is
 * the JavaFX thread blocked). Prints the numbers and exits. A benchmark, not a test.
 */
final class UiBench {
    private final InspectorViewModel vm;
    private final List<Path> images;
    private final List<Double> openMs = new ArrayList<>();
    private final List<String> gaps = new ArrayList<>();
    private long lastPulse;
    private long maxGapNanos;
    private int index;
    private long t0;
    private boolean waitingForFrame;

    UiBench(InspectorViewModel vm, List<Path> images) {
        this.vm = vm;
        this.images = images;
    }

    void start() {
        AnimationTimer timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                long t = System.nanoTime();
                if (lastPulse != 0) {
                    maxGapNanos = Math.max(maxGapNanos, t - lastPulse);
                    if (t - lastPulse > 100_000_000L) {
                        gaps.add(String.format(Locale.ROOT, "%.0f ms while opening image %d", (t - lastPulse) / 1e6,
                                index));
                    }
                }
                lastPulse = t;
                if (waitingForFrame) {
                    waitingForFrame = false;
                    openMs.add((t - t0) / 1e6);
                    next();
                }
            }
        };
        ChangeListener<Inspection> shown = (o, a, b) -> {
            if (b != null && t0 != 0) {
                waitingForFrame = true; // the next pulse draws it
            }
        };
        vm.inspectionProperty().addListener(shown);
        // warm-up: the first inspection (default model and image) is not counted
        vm.inspectionProperty().addListener(new ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends Inspection> o, Inspection a, Inspection b) {
                vm.inspectionProperty().removeListener(this);
                lastPulse = 0;
                maxGapNanos = 0;
                timer.start();
                Platform.runLater(UiBench.this::next);
            }
        });
    }

    private void next() {
        if (index >= images.size()) {
            report();
            Platform.exit();
            return;
        }
        t0 = System.nanoTime();
        vm.openImage(images.get(index++));
    }

    private void report() {
        double[] v = openMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "open image -> tree shapes and detections on screen: median %.0f ms, "
                + "max %.0f ms over %d images (%s)%n", v[v.length / 2], v[v.length - 1], v.length,
                Arrays.toString(Arrays.stream(v).mapToLong(Math::round).toArray()));
        System.out.printf(Locale.ROOT, "longest gap between JavaFX pulses (thread blocked): %.0f ms; gaps over "
                + "100 ms: %s%n", maxGapNanos / 1e6, gaps);
    }
}

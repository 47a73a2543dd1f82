package org.layerlens.viewer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import org.layerlens.engine.api.Detection;

/**
 * Measures selecting a detection as the user feels it (part of {@code --measure}): the selection
 * is set the way a click or a table row sets it, then three times are taken: (1) the selection's
 * listeners done (the Explain tab's texts, bars and table filled, the overlays asked to redraw,
 * the head's module selected in the tree); (2) the next layout pulse done, in which the overlays
 * are drawn and the panel laid out; (3) the head module's data and gallery complete (workers).
 * The next selection waits for (3), as a user reading the panel would. Prints medians and p90s,
 * and the JavaFX thread's CPU time up to (2), which other jobs on a shared machine do not inflate.
 */
final class SelectionBench {
    private final InspectorViewModel vm;
    private final InspectorView view;
    private final int count;
    private final Runnable done;
    private final List<Double> handlers = new ArrayList<>();
    private final List<Double> drawn = new ArrayList<>();
    private final List<Double> settled = new ArrayList<>();
    private final List<Double> cpu = new ArrayList<>();
    private final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    private long cpu0;
    private List<Detection> targets;
    private int index;
    private long t0;
    private int phase; // 0 idle, 1 waiting for the layout pulse, 2 waiting for the workers
    private int quietPulses;
    private AnimationTimer timer;
    private final Runnable afterLayout = this::laidOut;

    SelectionBench(InspectorViewModel vm, InspectorView view, int count, Runnable done) {
        this.vm = vm;
        this.view = view;
        this.count = count;
        this.done = done;
    }

    void start() {
        // several detections to step between: lower the threshold on an image that has few
        for (double t = vm.thresholdProperty().get(); vm.detections().size() < 2 && t > 0.05; t -= 0.1) {
            vm.thresholdProperty().set(Math.max(0.05, t - 0.1));
        }
        targets = List.copyOf(vm.detections());
        view.showSideTab("Explain"); // the panel measured is the one on screen
        if (targets.size() < 2) {
            System.out.println("select a detection: fewer than 2 detections on the last image; not measured");
            done.run();
            return;
        }
        view.getScene().addPostLayoutPulseListener(afterLayout);
        timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                tick();
            }
        };
        timer.start();
    }

    private void tick() {
        if (phase == 2) {
            // done when nothing is computing for three pulses in a row
            quietPulses = view.busy() ? 0 : quietPulses + 1;
            if (quietPulses >= 3) {
                settled.add((System.nanoTime() - t0) / 1e6);
                phase = 0;
            }
            return;
        }
        if (phase != 0) {
            return;
        }
        if (index >= count) {
            finish();
            return;
        }
        Detection d = targets.get(index++ % targets.size());
        cpu0 = threads.getCurrentThreadCpuTime();
        t0 = System.nanoTime();
        vm.selectedDetectionProperty().set(d);
        double ms = (System.nanoTime() - t0) / 1e6;
        handlers.add(ms);
        phase = 1;
        LayerLensApp.trace(String.format(Locale.ROOT, "selection %d: listeners %.1f ms", index, ms));
    }

    private void laidOut() {
        if (phase == 1) {
            double ms = (System.nanoTime() - t0) / 1e6;
            drawn.add(ms);
            // CPU time of the JavaFX thread, which a machine shared with other jobs does not inflate
            cpu.add((threads.getCurrentThreadCpuTime() - cpu0) / 1e6);
            LayerLensApp.trace(String.format(Locale.ROOT, "selection %d: laid out and drawn %.1f ms", index, ms));
            phase = 2;
            quietPulses = 0;
        }
    }

    private void finish() {
        timer.stop();
        view.getScene().removePostLayoutPulseListener(afterLayout);
        System.out.printf(Locale.ROOT, "select a detection (%d selections among %d detections) -> Explain panel filled "
                + "and overlays asked to redraw: median %.1f ms, p90 %.1f ms; laid out and drawn (next layout pulse): "
                + "median %.1f ms, p90 %.1f ms (JavaFX thread CPU in that time: median %.1f ms, p90 %.1f ms); the head "
                + "module's gallery complete: median %.0f ms, p90 %.0f ms%n",
                handlers.size(), targets.size(), median(handlers), p90(handlers), median(drawn), p90(drawn),
                median(cpu), p90(cpu), median(settled), p90(settled));
        Platform.runLater(done);
    }

    static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2]
                : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The nearest-rank 90th percentile. */
    static double p90(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length == 0 ? Double.NaN : s[(int) Math.ceil(0.9 * s.length) - 1];
    }

    @Override
    public String toString() {
        return Arrays.toString(handlers.toArray());
    }
}

package org.layerlens.viewer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;

/**
 * Measures the window as a user feels it, then prints the numbers and exits (a benchmark, not a
 * test). Images: for each, the time from asking to open it to the first frame drawn with its
 * tree shapes and detections. A video: it is played through once with the gallery visible, and
 * the frames shown per second, the frames dropped and the network's time per frame are printed.
 * All along, the longest gap between two JavaFX pulses (an AnimationTimer keeps pulses coming
 * every frame, so a long gap is the JavaFX thread blocked). After the images, the time from
 * selecting a detection to the window showing its explanation ({@link SelectionBench}).
 */
final class UiBench {
    private final InspectorViewModel vm;
    private final InspectorView view;
    private final List<Path> images;
    private final List<Double> openMs = new ArrayList<>();
    private final List<String> gaps = new ArrayList<>();
    private long lastPulse;
    private long maxGapNanos;
    private int index;
    private long t0;
    private boolean waitingForFrame;

    UiBench(InspectorViewModel vm, InspectorView view, List<Path> images) {
        this.vm = vm;
        this.view = view;
        this.images = images;
    }

    /** Where a gap fell: the video's frame as its bar counts it (from 1), or the image's number in the list. */
    private String where() {
        return vm.video().openProperty().get() ? "frame " + (vm.video().positionProperty().get() + 1) : "item " + index;
    }

    void start() {
        AnimationTimer timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                long t = System.nanoTime();
                if (lastPulse != 0) {
                    maxGapNanos = Math.max(maxGapNanos, t - lastPulse);
                    if (t - lastPulse > 100_000_000L) {
                        gaps.add(String.format(Locale.ROOT, "%.0f ms at %s", (t - lastPulse) / 1e6, where()));
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
        boolean video = images.size() == 1 && FileKind.of(images.get(0)) == FileKind.VIDEO;
        // warm-up: the first inspection (default model and image) is not counted
        vm.resultProperty().addListener(new ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends RunResult> o, RunResult a, RunResult b) {
                vm.resultProperty().removeListener(this);
                lastPulse = 0;
                maxGapNanos = 0;
                timer.start();
                Platform.runLater(video ? () -> playVideo(images.get(0)) : UiBench.this::next);
            }
        });
        if (!video) {
            vm.resultProperty().addListener((o, a, b) -> {
                if (b != null && t0 != 0) {
                    waitingForFrame = true; // the next pulse draws it
                }
            });
        }
    }

    private void next() {
        if (index >= images.size()) {
            report();
            new SelectionBench(vm, view, SELECTIONS, () -> {
                printGaps();
                Platform.exit();
            }).start();
            return;
        }
        t0 = System.nanoTime();
        vm.openImage(images.get(index++));
    }

    /** Detections selected one after the other on the last image. */
    static final int SELECTIONS = 30;

    private void report() {
        double[] v = openMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "open image -> tree shapes and detections on screen: median %.0f ms, "
                + "max %.0f ms over %d images (%s)%n", v[v.length / 2], v[v.length - 1], v.length,
                Arrays.toString(Arrays.stream(v).mapToLong(Math::round).toArray()));
    }

    private void printGaps() {
        System.out.printf(Locale.ROOT, "longest gap between JavaFX pulses (thread blocked): %.0f ms; gaps over "
                + "100 ms: %s%n", maxGapNanos / 1e6, gaps.size() > 10 ? gaps.size() + " gaps" : gaps);
    }

    /** CPU nanoseconds used so far by each live thread, by name. */
    private static java.util.Map<String, Long> cpuByThread() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            long ns = mx.getThreadCpuTime(t.getId());
            if (ns >= 0) {
                out.merge(t.getName() + "#" + t.getId(), ns, Long::sum);
            }
        }
        return out;
    }

    /** CPU time spent between two readings by the threads whose names start with {@code prefix}. */
    private static long spent(java.util.Map<String, Long> before, java.util.Map<String, Long> after, String prefix) {
        long sum = 0;
        for (var e : after.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
            }
        }
        return sum;
    }

    private void playVideo(Path file) {
        VideoViewModel v = vm.video();
        List<Double> networkMs = new ArrayList<>();
        vm.resultProperty().addListener((o, a, r) -> {
            if (r != null && r.frame() >= 0 && r.inspection() != null) {
                networkMs.add(r.inspection().totalMillis());
            }
        });
        long[] started = new long[1];
        java.util.Map<String, Long> cpu0 = new java.util.HashMap<>();
        v.openProperty().addListener((o, a, open) -> {
            if (open) {
                started[0] = System.nanoTime();
                cpu0.putAll(cpuByThread());
                v.play();
            }
        });
        v.playingProperty().addListener((o, a, playing) -> {
            if (!playing && started[0] != 0) {
                double secs = (System.nanoTime() - started[0]) / 1e9;
                double[] ms = networkMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                System.out.printf(Locale.ROOT, "video %s: %d frames at %.1f fps in the file; shown %d in %.1f s = "
                        + "%.1f frames per second with the gallery visible (%s, %d channels); dropped %d; network "
                        + "pass median %.0f ms%n", file.getFileName(), v.frameCountProperty().get(),
                        v.videoFpsProperty().get(), v.shownProperty().get(), secs, v.shownProperty().get() / secs,
                        vm.selectedPathProperty().get(), view.gallery().getItems().size(), v.droppedProperty().get(),
                        ms.length == 0 ? 0 : ms[ms.length / 2]);
                // CPU time, not wall time: what each thread cost per frame, however loaded the machine
                java.util.Map<String, Long> cpu = cpuByThread();
                int n = Math.max(1, v.shownProperty().get());
                System.out.printf(Locale.ROOT, "CPU per frame shown: JavaFX thread %.0f ms, renderer %.0f ms, workers "
                        + "%.0f ms%n", spent(cpu0, cpu, "JavaFX Application Thread") / 1e6 / n,
                        spent(cpu0, cpu, "QuantumRenderer") / 1e6 / n, spent(cpu0, cpu, "layerlens-worker") / 1e6 / n);
                printGaps();
                Platform.exit();
            }
        });
        vm.video().openFile(file);
    }
}

package org.layerlens.viewer;

import java.nio.file.Path;
import java.util.List;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.Model;

/**
 * The JavaFX application. Started through {@link #launch(Options, InspectorViewModel.ModelLoader)}
 * from a plain main class so that it runs from the class path.
 */
public final class LayerLensApp extends Application {
    /**
     * What to open, what to show, and whether to take a snapshot and exit (or measure).
     *
     * @param look what the window shows besides the defaults (the side tab, a channel, the overlay,
     *             a selected detection), for snapshots and for starting where one left off
     */
    public record Options(String modelRef, Path labels, Path image, String layer, Path snapshot, List<Path> measure,
                          Path video, Look look) {
    }

    /**
     * @param tab       the side tab to show ("channels", "block"), or null
     * @param channel   the channel to select in the selected module, or null for its strongest
     * @param overlay   the heatmap overlay's opacity (0..1), or null for no overlay
     * @param detection the detection to select (1 = the first in the table), or null
     * @param explain   what the explain views show
     */
    public record Look(String tab, Integer channel, Double overlay, Integer detection, ExplainLook explain) {
    }

    /**
     * @param box       a box to ask about (image pixels), or null
     * @param priors    the head whose priors to draw, or null for none
     * @param className the class of the class maps, or null for the best detection's
     * @param layerMap  where the selected module looks: "mean" or "eigencam", or null for neither
     * @param coverage  a dataset folder whose anchor coverage to measure (a snapshot shows its window)
     */
    public record ExplainLook(org.layerlens.engine.api.Box box, Integer priors, String className, String layerMap,
                              Path coverage) {
        public static final ExplainLook NONE = new ExplainLook(null, null, null, null, null);
    }

    /**
     * Compare mode and dataset statistics to start with ({@code --compare}, {@code --dataset}):
     * started once the first result is on screen; a snapshot waits for them. Without
     * {@code --layer}, a comparison then selects its first divergent module.
     */
    public record Analysis(CompareSource compare, Path dataset) {
    }

    private static Analysis analysis = new Analysis(null, null);

    /** What to start besides the run (call before {@link #launch}). */
    public static void setAnalysis(Analysis a) {
        analysis = a;
    }

    /** Exit status for a --layer the model does not have (a usage error). */
    public static final int USAGE = 2;
    private static Options options;
    private static InspectorViewModel.ModelLoader loader;
    private static volatile int exitCode;
    private InspectorViewModel vm;
    private InspectorView view;

    public static int launch(Options o, InspectorViewModel.ModelLoader l) {
        options = o;
        loader = l;
        Application.launch(LayerLensApp.class);
        return exitCode;
    }

    @Override
    public void start(Stage stage) {
        trace("JavaFX started");
        vm = new InspectorViewModel(loader);
        view = new InspectorView(vm);
        Scene scene = InspectorView.scene(view);
        stage.setScene(scene);
        InspectorView.bindTitle(stage, vm);
        stage.setOnHidden(e -> vm.close());
        stage.show();
        trace("window shown");
        boolean measuring = options.measure() != null && !options.measure().isEmpty();
        boolean measuringAnalysis = measuring && (analysis.compare() != null || analysis.dataset() != null);
        if (measuring && !measuringAnalysis) {
            new UiBench(vm, view, options.measure()).start();
        } else if (options.snapshot() != null) {
            vm.errorProperty().addListener((o, a, msg) -> {
                if (msg != null) {
                    fail(msg, 1);
                }
            });
        }
        vm.resultProperty().addListener(new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends RunResult> o, RunResult a, RunResult r) {
                if (r == null) {
                    return;
                }
                vm.resultProperty().removeListener(this);
                first(r.model(), scene, measuring);
            }
        });
        vm.open(options.modelRef(), options.labels(), options.image());
    }

    /** The first result: check --layer, select it, open the video, arm the snapshot. */
    private void first(Model m, Scene scene, boolean measuring) {
        String layer = options.layer();
        if (layer != null && m.tree().find(layer) == null) {
            fail(unknownLayer(layer, m), USAGE);
            return;
        }
        vm.select(layer != null ? layer : InspectorViewModel.defaultSelection(m));
        if (options.look().tab() != null) {
            view.showSideTab(options.look().tab());
        }
        if (options.look().overlay() != null) {
            vm.layer().overlayOpacityProperty().set(options.look().overlay());
            vm.layer().overlayProperty().set(true);
        }
        if (!explain(m)) {
            return;
        }
        startAnalysis();
        if (measuring && (analysis.compare() != null || analysis.dataset() != null)) {
            new AnalysisBench(vm, options.measure(), analysis).start();
        }
        if (options.video() != null) {
            if (options.snapshot() != null) { // a snapshot of a video is taken once it has played through
                vm.video().openProperty().addListener((o, a, open) -> {
                    if (open) {
                        vm.video().play();
                    }
                });
            }
            vm.video().openFile(options.video());
        }
        if (options.snapshot() != null && !measuring) {
            Platform.runLater(() -> System.out.printf(java.util.Locale.ROOT,
                    "first window with detections: %d ms after launch%n", sinceLaunchMillis()));
            new Snapshot(scene).start();
        }
    }

    private void startAnalysis() {
        if (analysis.compare() != null) {
            if (options.layer() == null) {
                vm.compare().resultProperty().addListener(new javafx.beans.value.ChangeListener<>() {
                    @Override
                    public void changed(javafx.beans.value.ObservableValue<? extends CompareViewModel.Result> o,
                                        CompareViewModel.Result a, CompareViewModel.Result r) {
                        if (r != null) {
                            vm.compare().resultProperty().removeListener(this);
                            vm.compare().goToFirstDivergent();
                        }
                    }
                });
            }
            vm.compare().start(analysis.compare());
        }
        if (analysis.dataset() != null) {
            vm.datasetStats().start(analysis.dataset());
        }
    }

    /** Applies --priors, --class, --layer-map, --box and --coverage; false (and exits) on one the model cannot take. */
    private boolean explain(Model m) {
        ExplainLook x = options.look().explain();
        ExplainViewModel e = view.explain().viewModel();
        if (x.priors() != null) {
            if (x.priors() >= m.layout().heads().size()) {
                fail("--priors " + x.priors() + ": " + m.name() + " has heads 0 to " + (m.layout().heads().size() - 1),
                        USAGE);
                return false;
            }
            e.priors().headProperty().set(x.priors());
            e.priors().visibleProperty().set(true);
        }
        if (x.className() != null && classIndex(m, x.className()) < 0) {
            fail("--class " + x.className() + ": " + m.name() + " has the classes "
                    + String.join(", ", m.labels().subList(1, m.labels().size())), USAGE);
            return false;
        }
        applyClass(m);
        if (x.layerMap() != null) {
            e.activation().modeProperty().set(x.layerMap().equalsIgnoreCase("mean")
                    ? ActivationMapViewModel.Mode.MEAN : ActivationMapViewModel.Mode.EIGEN_CAM);
        }
        if (x.box() != null && !e.query().ask(x.box())) {
            fail("--box " + x.box() + " lies outside the " + vm.imageProperty().get().originalWidth() + "x"
                    + vm.imageProperty().get().originalHeight() + " image", 1);
            return false;
        }
        if (x.coverage() != null) {
            view.explain().measure(x.coverage());
        }
        return true;
    }

    /** --class again (a selected detection sets the class maps to its own class). */
    private void applyClass(Model m) {
        String c = options.look().explain().className();
        if (c != null) {
            view.explain().viewModel().classMaps().classIdProperty().set(classIndex(m, c));
        }
    }

    private static int classIndex(Model m, String name) {
        int k = m.labels().indexOf(name);
        return k >= 1 ? k : -1;
    }

    /** One line for a --layer the model does not have, naming a few it does. */
    public static String unknownLayer(String layer, Model m) {
        List<String> some = m.tree().sourcePaths();
        return "--layer " + layer + ": " + m.name() + " has no module of that name (its head sources are "
                + String.join(", ", some) + "; 'layerlens summary --model M' lists every module)";
    }

    /**
     * Waits until everything the window shows is computed (the run, the module's data, its
     * thumbnails, the block diagram, the video's first frame) and the look is applied, then
     * writes the snapshot and exits. Gives up after 120 s.
     */
    private final class Snapshot {
        private final Scene scene;
        private final long started = System.nanoTime();
        private int quiet;
        private boolean channelDone = options.look().channel() == null;
        private boolean detectionDone = options.look().detection() == null;
        private Timeline poll;

        Snapshot(Scene scene) {
            this.scene = scene;
        }

        void start() {
            poll = new Timeline(new KeyFrame(Duration.millis(100), e -> tick()));
            poll.setCycleCount(Timeline.INDEFINITE);
            poll.play();
        }

        private void tick() {
            if ((System.nanoTime() - started) / 1e9 > 120) {
                poll.stop();
                fail("--snapshot: the window was still busy after 120 s", 1);
                return;
            }
            boolean videoPending = options.video() != null && (!vm.video().openProperty().get()
                    || vm.video().busyProperty().get() || vm.video().playingProperty().get());
            LayerViewModel.LayerResult r = vm.layer().layerProperty().get();
            boolean layerShown = r != null && r.path().equals(vm.selectedPathProperty().get());
            if (!channelDone && layerShown && r.data() != null) {
                int channels = r.data().channels;
                if (options.look().channel() >= channels) {
                    System.err.printf("layerlens: warning: --channel %d: %s has %d channel(s); it is not selected%n",
                            options.look().channel(), r.path(), channels);
                }
                vm.layer().selectChannel(options.look().channel());
                channelDone = true;
                quiet = 0;
                return;
            }
            if (!detectionDone && !vm.runningProperty().get() && !videoPending) {
                int k = options.look().detection() - 1;
                List<Detection> d = vm.detections();
                if (k >= 0 && k < d.size()) {
                    vm.selectedDetectionProperty().set(d.get(k));
                    applyClass(vm.modelProperty().get());
                } else {
                    System.err.printf("layerlens: warning: --detection %d: the image has %d detection(s) at this "
                            + "threshold; none is selected%n", k + 1, d.size());
                }
                detectionDone = true;
                quiet = 0;
                return;
            }
            var coverage = view.explain().viewModel().coverage();
            boolean coveragePending = options.look().explain().coverage() != null
                    && (coverage.runningProperty().get() || coverage.coverageProperty().get() == null);
            quiet = view.busy() || videoPending || !layerShown || coveragePending ? 0 : quiet + 1;
            if (quiet >= 4) {
                poll.stop();
                take();
            }
        }

        private void take() {
            try {
                Scene shown = options.look().explain().coverage() != null
                        ? view.explain().coverageWindow().stage().getScene() : scene;
                FxImages.writePng(shown.snapshot(null), options.snapshot());
                LayerViewModel.LayerResult r = vm.layer().layerProperty().get();
                System.out.println("wrote " + options.snapshot() + ": " + vm.modelProperty().get().name()
                        + ", module " + r.path() + ", " + view.gallery().getItems().size() + " channels, "
                        + vm.detections().size() + " detection(s)");
                exitCode = 0;
            } catch (Exception ex) {
                System.err.println("layerlens: " + ex.getMessage());
                exitCode = 1;
            }
            Platform.exit();
        }
    }

    private static void fail(String msg, int code) {
        System.err.println("layerlens: " + msg.replace("\n\t", " ").replace('\n', ' '));
        exitCode = code;
        Platform.exit();
    }

    static void trace(String what) {
        if (Boolean.getBoolean("layerlens.trace")) {
            System.err.printf("[%5d ms] %s%n", sinceLaunchMillis(), what);
        }
    }

    /** Milliseconds since the process was launched (the parent's start when this is the relaunched child). */
    static long sinceLaunchMillis() {
        ProcessHandle self = ProcessHandle.current();
        ProcessHandle origin = Boolean.getBoolean("layerlens.child") ? self.parent().orElse(self) : self;
        return origin.info().startInstant().or(() -> self.info().startInstant())
                .map(t -> java.time.Duration.between(t, java.time.Instant.now()).toMillis()).orElse(-1L);
    }

    @Override
    public void stop() {
        if (vm != null) {
            vm.close();
        }
    }
}

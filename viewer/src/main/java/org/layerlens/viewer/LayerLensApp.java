package org.layerlens.viewer;

import java.nio.file.Path;

import javafx.animation.PauseTransition;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.util.Duration;

/**
 * The JavaFX application. Started through {@link #launch(Options, InspectorViewModel.ModelLoader)}
 * from a plain main class so that it runs from the class path.
 */
public final class LayerLensApp extends Application {
    /** What to open, and whether to take a snapshot and exit. */
    public record Options(String modelRef, Path labels, Path image, String layer, Path snapshot,
                          java.util.List<Path> measure) {
    }

    private static Options options;
    private static InspectorViewModel.ModelLoader loader;
    private static volatile int exitCode;
    private InspectorViewModel vm;

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
        InspectorView view = new InspectorView(vm);
        Scene scene = InspectorView.scene(view);
        stage.setScene(scene);
        InspectorView.bindTitle(stage, vm);
        stage.show();
        trace("window shown");
        if (options.measure() != null && !options.measure().isEmpty()) {
            new UiBench(vm, options.measure()).start();
        } else if (options.snapshot() != null) {
            armSnapshot(scene);
        } else if (options.layer() != null) {
            vm.inspectionProperty().addListener((o, a, b) -> {
                if (a == null && b != null) {
                    vm.selectedPathProperty().set(options.layer());
                }
            });
        }
        vm.open(options.modelRef(), options.labels(), options.image());
    }

    private void armSnapshot(Scene scene) {
        vm.inspectionProperty().addListener((o, a, ins) -> {
            if (ins == null) {
                return;
            }
            // without --layer: the first map the heads read (base_net.14.conv.2 in the seed network)
            vm.selectedPathProperty().set(options.layer() != null ? options.layer()
                    : ins.model().tree().sourcePaths().get(0));
            Platform.runLater(() -> System.out.printf(java.util.Locale.ROOT,
                    "first window with detections: %d ms after launch%n", sinceLaunchMillis()));
            PauseTransition wait = new PauseTransition(Duration.millis(600));
            wait.setOnFinished(e -> {
                try {
                    FxImages.writePng(scene.snapshot(null), options.snapshot());
                    System.out.println("wrote " + options.snapshot());
                    exitCode = 0;
                } catch (Exception ex) {
                    System.err.println("layerlens: " + ex.getMessage());
                    exitCode = 1;
                }
                Platform.exit();
            });
            wait.play();
        });
        vm.errorProperty().addListener((o, a, msg) -> {
            if (msg != null) {
                System.err.println("layerlens: " + msg.replace("\n\t", " ").replace('\n', ' '));
                exitCode = 1;
                Platform.exit();
            }
        });
    }

    static void trace(String what) {
        if (Boolean.getBoolean("layerlens.trace")) {
            System.err.printf("[%5d ms] %s%n", sinceLaunchMillis(), what);
        }
    }

    /** Runs {@code body}; with -Dlayerlens.trace prints how long it took, labelled once it is done. */
    static void timed(java.util.function.Supplier<String> label, Runnable body) {
        long t0 = System.nanoTime();
        body.run();
        if (Boolean.getBoolean("layerlens.trace")) {
            System.err.printf("%s %.1f ms%n", label.get(), (System.nanoTime() - t0) / 1e6);
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
            vm.shutdown();
        }
    }
}

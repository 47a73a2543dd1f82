package org.layerlens.viewer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.exec.CancelledException;
import org.layerlens.engine.api.ModuleEvent;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.nn.Module;
import org.layerlens.engine.api.Detection;

/**
 * State and commands of the inspection window, with no controls in it. Loading and running
 * happen on one worker thread; results are committed on the JavaFX thread, and only when they
 * succeed: a failed or cancelled job leaves the previous model, image and inspection in place.
 */
public final class InspectorViewModel {
    /** Resolves what the user picked (a file, or a name such as "default") to a model. */
    @FunctionalInterface
    public interface ModelLoader {
        Model load(String ref, Path labels) throws Exception;
    }

    private final ModelLoader loader;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "layerlens-engine");
        t.setDaemon(true);
        return t;
    });

    private final ObjectProperty<Model> model = new SimpleObjectProperty<>();
    private final ObjectProperty<LoadedImage> image = new SimpleObjectProperty<>();
    private final ObjectProperty<Inspection> inspection = new SimpleObjectProperty<>();
    private final StringProperty selectedPath = new SimpleStringProperty("");
    private final DoubleProperty threshold = new SimpleDoubleProperty(0.5);
    private final DoubleProperty iou = new SimpleDoubleProperty(0.45);
    private final ObservableList<String> hiddenClasses = FXCollections.observableArrayList();
    private final ObservableList<Detection> detections = FXCollections.observableArrayList();
    private final BooleanProperty running = new SimpleBooleanProperty(false);
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty status = new SimpleStringProperty("Ready");
    private final ObjectProperty<String> error = new SimpleObjectProperty<>();
    private final java.util.concurrent.atomic.AtomicBoolean cancelFlag = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Consumer<ModuleEvent> runListener;

    public InspectorViewModel(ModelLoader loader) {
        this.loader = loader;
        threshold.addListener((o, a, b) -> refilter());
        iou.addListener((o, a, b) -> refilter());
        hiddenClasses.addListener((javafx.collections.ListChangeListener<String>) c -> refilter());
    }

    public ReadOnlyObjectProperty<Model> modelProperty() {
        return model;
    }

    public ReadOnlyObjectProperty<LoadedImage> imageProperty() {
        return image;
    }

    public ReadOnlyObjectProperty<Inspection> inspectionProperty() {
        return inspection;
    }

    public StringProperty selectedPathProperty() {
        return selectedPath;
    }

    public DoubleProperty thresholdProperty() {
        return threshold;
    }

    public DoubleProperty iouProperty() {
        return iou;
    }

    public ObservableList<String> hiddenClasses() {
        return hiddenClasses;
    }

    public ObservableList<Detection> detections() {
        return detections;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running;
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status;
    }

    /** The last error message (file and problem); the view shows it in a dialog. */
    public ObjectProperty<String> errorProperty() {
        return error;
    }

    /** Test hook and progress tap: sees every module event on the worker thread. */
    public void setRunListener(Consumer<ModuleEvent> l) {
        this.runListener = l;
    }

    /** Loads a model (and optionally an image) and runs; the first thing the window does. */
    public void open(String modelRef, Path labels, Path imageFile) {
        submit("Loading " + modelRef, () -> {
            Model m = loader.load(modelRef, labels);
            LoadedImage img = imageFile != null ? Images.read(imageFile) : image.get();
            return new Job(m, img);
        });
    }

    /** Runs an already loaded model on an already read image (a second window showing the same). */
    public void show(Model m, LoadedImage img) {
        submit("Running", () -> new Job(m, img));
    }

    public ModelLoader loader() {
        return loader;
    }

    public void openModel(String modelRef, Path labels) {
        open(modelRef, labels, null);
    }

    public void openImage(Path file) {
        submit("Reading " + file.getFileName(), () -> new Job(model.get(), Images.read(file)));
    }

    /** Runs the current model on the current image again. */
    public void rerun() {
        submit("Running", () -> new Job(model.get(), image.get()));
    }

    public void cancel() {
        cancelFlag.set(true);
    }

    private record Job(Model model, LoadedImage image) {
    }

    private interface Prepare {
        Job get() throws Exception;
    }

    private void submit(String what, Prepare prepare) {
        if (!Platform.isFxApplicationThread()) {
            Platform.runLater(() -> submit(what, prepare));
            return;
        }
        running.set(true);
        progress.set(-1);
        status.set(what + "…");
        Task<Object[]> task = new Task<>() {
            @Override
            protected Object[] call() throws Exception {
                long t0 = System.nanoTime();
                Job job = prepare.get();
                long t1 = System.nanoTime();
                LayerLensApp.trace("model and image ready");
                try {
                    return run(job);
                } finally {
                    if (Boolean.getBoolean("layerlens.trace")) {
                        System.err.printf("worker: prepare %.1f ms, run %.1f ms%n", (t1 - t0) / 1e6,
                                (System.nanoTime() - t1) / 1e6);
                    }
                }
            }

            private Object[] run(Job job) {
                if (job.model() == null || job.image() == null) {
                    return new Object[] {job, null};
                }
                int total = countCallable(job.model());
                AtomicInteger done = new AtomicInteger();
                Platform.runLater(() -> status.set("Running " + job.model().name() + " on "
                        + name(job.image()) + "…"));
                cancelFlag.set(false);
                Inspection ins = job.model().inspect(job.image(),
                        e -> {
                            Consumer<ModuleEvent> l = runListener;
                            if (l != null) {
                                l.accept(e);
                            }
                            updateProgress(done.incrementAndGet(), total);
                        }, cancelFlag::get);
                return new Object[] {job, ins};
            }
        };
        progress.bind(task.progressProperty());
        task.setOnSucceeded(e -> {
            LayerLensApp.trace("run finished");
            finish();
            Object[] r = task.getValue();
            Job job = (Job) r[0];
            Inspection ins = (Inspection) r[1];
            boolean newModel = job.model() != model.get();
            if (ins == null) { // loaded something, nothing to run it on yet
                model.set(job.model());
                image.set(job.image());
                status.set("Loaded " + (job.model() != null ? job.model().name() : ""));
                return;
            }
            Inspection old = inspection.get();
            model.set(job.model());
            image.set(job.image());
            if (newModel) {
                hiddenClasses.clear();
            }
            inspection.set(ins);
            if (old != null && old != ins) {
                old.close();
            }
            refilter();
            String notes = newModel ? job.model().notes().stream().skip(1).reduce((a, b) -> a + "; " + b)
                    .map(n -> " · " + n).orElse("") : "";
            status.set(String.format(java.util.Locale.ROOT, "%s on %s: %d modules in %.0f ms%s",
                    job.model().name(), name(job.image()), ins.events().size(), ins.totalMillis(), notes));
        });
        task.setOnFailed(e -> {
            finish();
            Throwable t = task.getException();
            if (t instanceof CancelledException) {
                status.set("Cancelled; showing the previous result");
                return;
            }
            String msg = t.getMessage() == null ? t.toString() : t.getMessage();
            status.set("Failed: " + msg.lines().findFirst().orElse(msg));
            error.set(null);
            error.set(msg);
        });
        worker.submit(task);
    }

    private void finish() {
        progress.unbind();
        progress.set(0);
        running.set(false);
    }

    private static String name(LoadedImage img) {
        return img.source() == null ? "image" : img.source().getFileName().toString();
    }

    static int countCallable(Model m) {
        int n = 0;
        for (Module mod : m.tree().modules()) {
            if (mod.callable() && !mod.path().isEmpty()) {
                n++;
            }
        }
        return n;
    }

    /** Re-applies threshold, IoU and class filter to the kept outputs; no network run. */
    public void refilter() {
        Inspection ins = inspection.get();
        if (ins == null) {
            detections.clear();
            return;
        }
        List<Detection> all = ins.output().detections(threshold.get(), iou.get(), ins.model().candidates());
        List<Detection> shown = new ArrayList<>();
        for (Detection d : all) {
            if (!hiddenClasses.contains(d.label())) {
                shown.add(d);
            }
        }
        detections.setAll(shown);
    }

    public void shutdown() {
        worker.shutdownNow();
        Inspection ins = inspection.get();
        if (ins != null) {
            ins.close();
        }
    }
}

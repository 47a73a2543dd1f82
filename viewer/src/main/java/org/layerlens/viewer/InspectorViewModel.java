package org.layerlens.viewer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.image.Image;
import org.layerlens.engine.Problems;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.api.ModuleEvent;
import org.layerlens.engine.image.ImageFolder;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.nn.Module;
import org.layerlens.viewer.jobs.JobLane;
import org.layerlens.viewer.jobs.Jobs;
import org.layerlens.viewer.jobs.Once;

/**
 * State and commands of one inspection window, with no controls in it (the panes bind to it).
 * <p>
 * Runs: a job captures what it runs on when it is submitted: the model and image the user asked
 * for last, even if they are still loading (a {@link Once} the job waits for), never what
 * happens to be committed when the worker gets to it. A new run replaces the one running
 * ({@link JobLane}); Cancel belongs to the latest run. A result is committed on the UI thread
 * only if it is still the latest; a failure of any kind (an unreadable file, an
 * {@link OutOfMemoryError}) ends in {@link #errorProperty()} and leaves the previous model, image
 * and result in place. Closing the window cancels its jobs and frees its results.
 * <p>
 * The selected module's data ({@link LayerViewModel}), the block diagram ({@link BlockViewModel}),
 * video playback ({@link VideoViewModel}) and exports ({@link Exports}) have view models of their
 * own that follow this one.
 */
public final class InspectorViewModel {
    /** Resolves what the user picked (a file, or a name such as "default") to a model. */
    @FunctionalInterface
    public interface ModelLoader {
        Model load(String ref, Path labels) throws Exception;
    }

    /**
     * Where jobs run, where results are committed, how pictures are made and where recent files
     * are kept. The window uses {@link #fx()}; unit tests use plain threads and no pictures.
     */
    public record Services(Executor worker, Executor ui, Function<Rgb, Image> pictures, RecentFiles recent) {
        public static Services fx() {
            return new Services(Jobs.shared(), Jobs.fxThread(), FxImages::fromRgb, RecentFiles.shared());
        }
    }

    /** A model and the name it was opened by ("default", "faces-v1" or a file's path). */
    record Opened(Model model, String ref) {
    }

    /** The largest side of the picture shown: the network sees 300 or 512 pixels; boxes keep the original's units. */
    public static final int PICTURE_SIDE = 2048;

    private final ModelLoader loader;
    private final Services services;
    private final JobLane runs;
    private final ReadOnlyObjectWrapper<RunResult> result = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Model> model = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper modelRef = new ReadOnlyStringWrapper();
    private final ReadOnlyObjectWrapper<ModelFacts> facts = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<LoadedImage> image = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Image> picture = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Inspection> inspection = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper selectedPath = new ReadOnlyStringWrapper("");
    private final DoubleProperty threshold = new SimpleDoubleProperty(0.5);
    private final DoubleProperty iou = new SimpleDoubleProperty(0.45);
    private final ObservableList<String> hiddenClasses = FXCollections.observableArrayList();
    private final ObservableList<Detection> detections = FXCollections.observableArrayList();
    private final ObjectProperty<Detection> selectedDetection = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Ready");
    /** Models that have run a pass in this window (the first one also sets up native kernels). */
    private final Set<Model> passedOnce = Collections.newSetFromMap(new WeakHashMap<>());
    private final ObjectProperty<String> error = new SimpleObjectProperty<>();
    private final ObservableList<Notice> notices = FXCollections.observableArrayList();
    private final LayerViewModel layer;
    private final BlockViewModel block;
    private final VideoViewModel video;
    private final Exports exports;
    private final CompareViewModel compare;
    private final DatasetStatsViewModel datasetStats;
    /** What the next run runs on: the last model and image asked for (maybe still loading). */
    private volatile Once<Opened> targetModel;
    private volatile Once<LoadedImage> targetImage;
    private volatile Consumer<ModuleEvent> runListener;
    private boolean closed;

    public InspectorViewModel(ModelLoader loader) {
        this(loader, Services.fx());
    }

    public InspectorViewModel(ModelLoader loader, Services services) {
        this.loader = loader;
        this.services = services;
        this.runs = new JobLane("run", services.worker(), services.ui());
        threshold.addListener((o, a, b) -> refilter());
        iou.addListener((o, a, b) -> refilter());
        hiddenClasses.addListener((ListChangeListener<String>) c -> refilter());
        this.layer = new LayerViewModel(this, services);
        this.block = new BlockViewModel(this, services);
        this.video = new VideoViewModel(this, services);
        this.exports = new Exports(this, services);
        this.compare = new CompareViewModel(this, services);
        this.datasetStats = new DatasetStatsViewModel(this, services);
    }

    // ---------------------------------------------------------------- state

    /** The committed result: model, image, picture and inspection that belong together. */
    public ReadOnlyObjectProperty<RunResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Model> modelProperty() {
        return model.getReadOnlyProperty();
    }

    /** The name the model was opened by: a bundled name or the file's path (the chooser shows it). */
    public ReadOnlyStringProperty modelRefProperty() {
        return modelRef.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<ModelFacts> factsProperty() {
        return facts.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<LoadedImage> imageProperty() {
        return image.getReadOnlyProperty();
    }

    /** The image as shown (built on a worker, at most {@link #PICTURE_SIDE} a side). */
    public ReadOnlyObjectProperty<Image> pictureProperty() {
        return picture.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Inspection> inspectionProperty() {
        return inspection.getReadOnlyProperty();
    }

    /** The selected module's path; always a module of the committed model. Change it with {@link #select}. */
    public ReadOnlyStringProperty selectedPathProperty() {
        return selectedPath.getReadOnlyProperty();
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

    /** The committed result's detections after threshold, IoU and class filter. */
    public ObservableList<Detection> detections() {
        return detections;
    }

    /** The detection selected in the table or on the image (null for none). */
    public ObjectProperty<Detection> selectedDetectionProperty() {
        return selectedDetection;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return runs.runningProperty();
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return runs.progressProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The last error message (file and problem); the view shows it in a dialog. */
    public ObjectProperty<String> errorProperty() {
        return error;
    }

    /** Notes and warnings, newest last; the view shows each as a notification when it arrives. */
    public ObservableList<Notice> notices() {
        return notices;
    }

    public LayerViewModel layer() {
        return layer;
    }

    public BlockViewModel block() {
        return block;
    }

    public VideoViewModel video() {
        return video;
    }

    public Exports exports() {
        return exports;
    }

    /** Compare mode: this window's run against a second model or image. */
    public CompareViewModel compare() {
        return compare;
    }

    /** Statistics of the model over a folder of images. */
    public DatasetStatsViewModel datasetStats() {
        return datasetStats;
    }

    public ModelLoader loader() {
        return loader;
    }

    public Services services() {
        return services;
    }

    public RecentFiles recent() {
        return services.recent();
    }

    /** Test hook: sees every module event of a run, on the worker thread. */
    public void setRunListener(Consumer<ModuleEvent> l) {
        this.runListener = l;
    }

    // ---------------------------------------------------------------- commands (UI thread)

    /** Loads a model (and optionally an image) and runs; the first thing the window does. */
    public void open(String ref, Path labels, Path imageFile) {
        targetModel = Once.of(() -> new Opened(loader.load(ref, labels), ref));
        if (imageFile != null) {
            video.close();
            targetImage = Once.of(() -> Images.read(imageFile));
        }
        submitRun("Loading " + shortName(ref));
    }

    public void openModel(String ref, Path labels) {
        open(ref, labels, null);
    }

    public void openImage(Path file) {
        video.close();
        targetImage = Once.of(() -> Images.read(file));
        submitRun("Reading " + file.getFileName());
    }

    /** Runs an already loaded model on an already read image (a second window showing the same). */
    public void show(Model m, String ref, LoadedImage img) {
        targetModel = Once.done(new Opened(m, ref));
        targetImage = img == null ? null : Once.done(img);
        submitRun("Running");
    }

    /** Runs the model asked for last on the image asked for last. */
    public void rerun() {
        if (targetModel != null) {
            submitRun("Running");
        }
    }

    /** Opens a file by what it is ({@link FileKind}): drag and drop, recent files. */
    public void openFile(Path p) {
        services.recent().remember(p);
        switch (FileKind.of(p)) {
            case MODEL -> openModel(p.toString(), labelsNextTo(p));
            case VIDEO -> video.openFile(p);
            case LABELS -> {
                if (modelRef.get() != null) {
                    openModel(modelRef.get(), p);
                } else {
                    fail("Opening " + p.getFileName(), new IllegalStateException(p + ": a labels file needs a model; "
                            + "open the model first"));
                }
            }
            case IMAGE -> openImage(p);
        }
    }

    /** Cancels the latest run (and a playing video). */
    public void cancel() {
        runs.cancel();
        video.pause();
    }

    /** Selects a module of the committed model; false (and nothing changes) for a path it does not have. */
    public boolean select(String path) {
        Model m = model.get();
        if (path == null || m != null && m.tree().find(path) == null) {
            return false;
        }
        selectedPath.set(path);
        return true;
    }

    /** Closes the window's work: cancels its jobs and video, frees its results. */
    public void close() {
        closed = true;
        runs.close();
        video.dispose();
        layer.close();
        block.close();
        compare.close();
        datasetStats.close();
        RunResult r = result.get();
        detections.clear();
        selectedDetection.set(null);
        inspection.set(null);
        picture.set(null);
        result.set(null);
        if (r != null) {
            r.dispose();
        }
    }

    public boolean closed() {
        return closed;
    }

    // ---------------------------------------------------------------- detections

    /** Re-applies threshold, IoU and class filter to the kept outputs; no network run. */
    public void refilter() {
        Inspection ins = inspection.get();
        if (ins == null) {
            detections.clear();
            selectedDetection.set(null);
            return;
        }
        Detection was = selectedDetection.get();
        List<Detection> shown = new ArrayList<>();
        for (Detection d : ins.output().detections(threshold.get(), iou.get(), ins.model().candidates())) {
            if (!hiddenClasses.contains(d.label())) {
                shown.add(d);
            }
        }
        detections.setAll(shown);
        selectedDetection.set(was == null ? null : shown.stream().filter(d -> same(d, was)).findFirst().orElse(null));
    }

    private static boolean same(Detection a, Detection b) {
        return a.classId() == b.classId() && a.provenance().priorIndex() == b.provenance().priorIndex();
    }

    /** Selects the next (+1) or previous (-1) detection, wrapping around; the first when none is selected. */
    public void stepDetection(int direction) {
        if (detections.isEmpty()) {
            return;
        }
        int i = detections.indexOf(selectedDetection.get());
        int n = detections.size();
        int next = i < 0 ? (direction > 0 ? 0 : n - 1) : Math.floorMod(i + direction, n);
        selectedDetection.set(detections.get(next));
    }

    /** The detection whose box contains a point (original-image pixels); the smallest one where boxes overlap. */
    public Optional<Detection> detectionAt(double x, double y) {
        Detection best = null;
        for (Detection d : detections) {
            if (x >= d.x1() && x <= d.x2() && y >= d.y1() && y <= d.y2()
                    && (best == null || d.box().area() < best.box().area())) {
                best = d;
            }
        }
        return Optional.ofNullable(best);
    }

    // ---------------------------------------------------------------- runs

    private void submitRun(String what) {
        Once<Opened> m = targetModel;
        Once<LoadedImage> i = targetImage;
        status.set(what + "…");
        runs.submit(job -> compute(job, m, i), this::commit, RunResult::dispose, this::cancelled,
                t -> failRun(what, t));
    }

    private RunResult compute(JobLane.Job job, Once<Opened> m, Once<LoadedImage> i) throws Exception {
        long t0 = System.nanoTime();
        Opened o = m.get();
        job.check();
        LoadedImage img = i == null ? null : i.get();
        job.check();
        ModelFacts f = ModelFacts.of(o.model());
        LayerLensApp.trace(String.format(Locale.ROOT, "model and image ready (%.0f ms)", (System.nanoTime() - t0) / 1e6));
        if (img == null) {
            return new RunResult(o.model(), o.ref(), f, null, null, null, null, -1);
        }
        return run(job, o.model(), o.ref(), f, img, -1);
    }

    /** One pass of {@code m} on {@code img} with its picture, on the calling (worker) thread. */
    RunResult run(JobLane.Job job, Model m, String ref, ModelFacts f, LoadedImage img, int frame) {
        Rgb preview = Rgb.of(Images.magnified(Images.fit(img, PICTURE_SIDE), 64));
        Image pic = services.pictures().apply(preview);
        job.check();
        int total = countCallable(m);
        AtomicInteger done = new AtomicInteger();
        Inspection ins = m.inspect(img, e -> {
            Consumer<ModuleEvent> l = runListener;
            if (l != null) {
                l.accept(e);
            }
            job.progress(done.incrementAndGet() / (double) total);
        }, job::cancelled);
        return new RunResult(m, ref, f, img, preview, pic, ins, frame);
    }

    /** Commits a result (UI thread): model, image, picture, inspection and detections change together. */
    void commit(RunResult r) {
        if (closed) {
            r.dispose();
            return;
        }
        long t0 = System.nanoTime();
        RunResult old = result.get();
        boolean newModel = old == null || old.model() != r.model();
        boolean newImage = r.image() != null && (old == null || old.image() == null
                || !java.util.Objects.equals(old.image().source(), r.image().source()));
        model.set(r.model());
        modelRef.set(r.modelRef());
        facts.set(r.facts());
        if (newModel) {
            hiddenClasses.clear();
            iou.set(r.model().defaultIou());
            if (r.model().tree().find(selectedPath.get()) == null || selectedPath.get().isEmpty()) {
                selectedPath.set(defaultSelection(r.model()));
            }
            // one notification per model, its notes on separate lines; a warning among them makes it a warning
            List<String> notes = r.model().notes().stream().skip(1).toList();
            if (!notes.isEmpty()) {
                String text = r.model().name() + ":\n" + String.join("\n", notes);
                notices.add(notes.stream().anyMatch(n -> n.startsWith("warning")) ? Notice.warning(text)
                        : Notice.info(text));
            }
        }
        if (newImage && r.frame() < 0 && r.image().shrunk()) {
            notices.add(Notice.info(String.format(Locale.ROOT, "%s is %dx%d; read at %dx%d (LayerLens keeps at most "
                    + "%d megapixels; boxes are in the original's pixels)", r.image().name(), r.image().originalWidth(),
                    r.image().originalHeight(), r.image().width(), r.image().height(), Images.MAX_PIXELS >> 20)));
        }
        // an image's warnings, or a video frame's (the video cut short, a damaged frame skipped before it)
        // (a frame carries its warnings once: frames of one video share their source)
        if ((newImage || r.frame() >= 0) && r.image() != null && !r.image().warnings().isEmpty()) {
            notices.add(Notice.warning(String.join("\n", r.image().warnings())));
        }
        image.set(r.image());
        picture.set(r.picture());
        inspection.set(r.inspection());
        result.set(r); // last: panes that follow the result find everything else already in place
        refilter();
        Opened want = targetModel == null ? null : targetModel.peek();
        if (want == null || want.model() != r.model() || !want.ref().equals(r.modelRef())) {
            targetModel = Once.done(new Opened(r.model(), r.modelRef()));
        }
        targetImage = r.image() == null ? null : Once.done(r.image());
        if (r.inspection() != null) {
            // a model's first pass also sets up its native kernels (measured 1,025 ms against ~30 ms
            // after): said, so that the number is not read as the model's speed
            boolean first = passedOnce.add(r.model());
            // a video's frames counted from 1, as its bar counts them
            status.set(String.format(Locale.ROOT, "%s on %s: %d modules in %.0f ms%s", r.model().name(),
                    r.image().name() + (r.frame() >= 0 ? " frame " + (r.frame() + 1) : ""), r.inspection().events().size(),
                    r.inspection().totalMillis(), first ? " (its first pass, with one-time set-up)" : ""));
        } else {
            status.set("Loaded " + r.model().name() + "; open an image to run it");
        }
        if (old != null && old.inspection() != r.inspection()) {
            old.dispose(); // after the listeners above moved on to the new result
        }
        LayerLensApp.trace(String.format(Locale.ROOT, "commit on the JavaFX thread: %.1f ms",
                (System.nanoTime() - t0) / 1e6));
    }

    /**
     * Commits a video frame's result, unless the user asked for another model since the frame
     * was started (then the frame is dropped rather than switching the window back).
     */
    void commitFrame(RunResult r) {
        Opened want = targetModel == null ? null : targetModel.peek();
        if (closed || want == null || want.model() != r.model()) {
            r.dispose();
            return;
        }
        commit(r);
    }

    /** The model asked for last (maybe still loading), for jobs that run later frames. */
    Once<Opened> modelTarget() {
        Once<Opened> m = targetModel;
        return m != null ? m : Once.of(() -> {
            throw new IllegalStateException("open a model first");
        });
    }

    /** The module shown first: the largest map the heads read (the first SSD source). */
    static String defaultSelection(Model m) {
        List<String> s = m.tree().sourcePaths();
        return s.isEmpty() ? "" : s.get(0);
    }

    private void cancelled() {
        resetTargets();
        status.set("Cancelled; showing the previous result");
    }

    /** Ends a failed job: one message for the dialog; the committed state stays. */
    void fail(String what, Throwable t) {
        show(message(what, t));
    }

    /**
     * A run that would have replaced the model or image failed: the dialog says what stays (only
     * there: an export's or a box question's failure said so too, which was beside the point).
     */
    private void failRun(String what, Throwable t) {
        String msg = message(what, t);
        show(result.get() != null && !msg.contains("\n") ? msg + "\nThe previous model and image are still loaded." : msg);
    }

    private void show(String msg) {
        resetTargets();
        status.set("Failed: " + msg.lines().findFirst().orElse(msg));
        error.set(null);
        error.set(msg);
    }

    static String message(String what, Throwable t) {
        if (t instanceof OutOfMemoryError) {
            return what + ": not enough memory (" + t.getMessage() + ")\nThe previous model and image are still "
                    + "loaded. Give Java more memory, e.g. java -Xmx4g -jar layerlens.jar";
        }
        while (t.getCause() != null && Problems.message(t) == null) {
            t = t.getCause();
        }
        String said = Problems.message(t);
        if (said == null) {
            return what + ": " + t;
        }
        // the system's own words ("No space left on device") name nothing: say what was being done
        return said.contains(": ") ? said : what + ": " + said;
    }

    private void resetTargets() {
        RunResult r = result.get();
        targetModel = r == null ? null : Once.done(new Opened(r.model(), r.modelRef()));
        targetImage = r == null || r.image() == null ? null : Once.done(r.image());
    }

    void notice(Notice n) {
        notices.add(n);
    }

    void setStatus(String s) {
        status.set(s);
    }

    static int countCallable(Model m) {
        int n = 0;
        for (Module mod : m.tree().modules()) {
            if (mod.callable() && !mod.path().isEmpty()) {
                n++;
            }
        }
        return Math.max(1, n);
    }

    static String shortName(String ref) {
        int slash = Math.max(ref.lastIndexOf('/'), ref.lastIndexOf('\\'));
        return slash < 0 ? ref : ref.substring(slash + 1);
    }

    /** pytorch-ssd keeps labels in a text file beside the model; use it when there is one. */
    public static Path labelsNextTo(Path model) {
        Path dir = model.toAbsolutePath().getParent();
        String base = ImageFolder.stem(model);
        for (String n : new String[] {base + "-labels.txt", base + ".txt", "labels.txt", "voc-model-labels.txt"}) {
            if (dir != null && java.nio.file.Files.isRegularFile(dir.resolve(n))) {
                return dir.resolve(n);
            }
        }
        return null;
    }
}

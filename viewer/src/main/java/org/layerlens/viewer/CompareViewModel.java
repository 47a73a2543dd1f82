package org.layerlens.viewer;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

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
import javafx.scene.image.Image;
import org.layerlens.engine.analysis.Calibration;
import org.layerlens.engine.analysis.Comparer;
import org.layerlens.engine.analysis.Comparison;
import org.layerlens.engine.analysis.Int8Simulation;
import org.layerlens.engine.analysis.ModuleComparison;
import org.layerlens.engine.analysis.Passes;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.viewer.jobs.JobLane;

/**
 * Compare mode: the window's committed run (A: its model on its image) against a second run B
 * ({@link CompareSource}): another model, the model's int8 what-if, another image or the image
 * made different. Two inspect-all passes (A's and B's: every module's own value, the same
 * arithmetic on both sides) and the figures of every module ({@link Comparer#of}) run on a worker
 * with progress and Cancel.
 * While compare mode is on, every new result of the window is compared again.
 * <p>
 * The first divergent module follows the tolerance without running anything again (the relative
 * error of every module is kept); {@link #cell} is what the module tree's column shows, and
 * {@link DifferenceViewModel} the selected module's maps in both runs.
 */
public final class CompareViewModel {
    /** What the tree's column shows for a module. */
    public enum Metric {
        REL_ERR("relative error"), SQNR("SQNR (dB)");

        private final String label;

        Metric(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** How a module fared: no figures, within the tolerance, past it, the first past it, no counterpart. */
    public enum Level { NONE, WITHIN, DIVERGES, FIRST, MISSING }

    /**
     * One module's cell in the tree: the figure as text, a bar length in [0, 1] (longer: further
     * apart), its level and a tooltip (the figures, or why there are none).
     */
    public record Cell(String text, double bar, Level level, String tooltip) {
        static final Cell EMPTY = new Cell("", 0, Level.NONE, null);
    }

    /**
     * A finished comparison. {@code a} is the window's inspection (not owned: the window closes
     * it when its next result replaces it); {@code b} belongs to this result and is closed with it.
     * {@code pictureB} shows B's image when B saw another image (null otherwise).
     */
    public record Result(CompareSource source, Comparison comparison, RunResult run, Inspection a, Inspection b,
                         LoadedImage imageB, Image pictureB, boolean mirrored, long passMillis, long compareMillis) {
        void dispose() {
            a.close();
            b.close();
        }
    }

    private final InspectorViewModel vm;
    private final InspectorViewModel.Services services;
    private final JobLane lane;
    private final ReadOnlyObjectWrapper<CompareSource> source = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Result> result = new ReadOnlyObjectWrapper<>();
    private final DoubleProperty tolerance = new SimpleDoubleProperty(Comparer.Options.DEFAULT.tolerance());
    private final ObjectProperty<Metric> metric = new SimpleObjectProperty<>(Metric.REL_ERR);
    private final ReadOnlyStringWrapper firstDivergent = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final DifferenceViewModel difference;
    private Map<String, ModuleComparison> byPath = Map.of();
    /** A model made for a key (a file read, a simulation of one model with one calibration). */
    private record Cached(Object key, Model model) {
    }

    /** The last second model read and the last int8 simulation: made again for every image, they would be slow. */
    private volatile Cached loaded = new Cached(null, null);
    private volatile Cached simulated = new Cached(null, null);

    CompareViewModel(InspectorViewModel vm, InspectorViewModel.Services services) {
        this.vm = vm;
        this.services = services;
        this.lane = new JobLane("compare", services.worker(), services.ui());
        this.difference = new DifferenceViewModel(vm, this, services);
        tolerance.addListener((o, a, b) -> updateFirst());
        vm.resultProperty().addListener((o, a, r) -> {
            if (stale(r) && !vm.video().playingProperty().get()) {
                submit();
            }
        });
        // a playing video is compared when it pauses, not at every frame (that would double each frame's work)
        vm.video().playingProperty().addListener((o, a, playing) -> {
            if (!playing && stale(vm.resultProperty().get())) {
                submit();
            }
        });
    }

    // ---------------------------------------------------------------- state

    /** What A is compared with; null while compare mode is off. */
    public ReadOnlyObjectProperty<CompareSource> sourceProperty() {
        return source.getReadOnlyProperty();
    }

    /** The committed comparison (null while none is finished); may lag the window's result while B runs. */
    public ReadOnlyObjectProperty<Result> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** The relative error above which a module counts as parted (default 1e-3, the CLI's). */
    public DoubleProperty toleranceProperty() {
        return tolerance;
    }

    public ObjectProperty<Metric> metricProperty() {
        return metric;
    }

    /** The first module, in A's execution order, whose relative error exceeds the tolerance ("" for none). */
    public ReadOnlyStringProperty firstDivergentProperty() {
        return firstDivergent.getReadOnlyProperty();
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

    /** The selected module and channel in both runs. */
    public DifferenceViewModel difference() {
        return difference;
    }

    /** Whether the passes or a difference are still being computed. */
    public boolean busy() {
        return lane.runningProperty().get() || difference.busy();
    }

    /** The figures of the module at {@code path}, or null. */
    public ModuleComparison figures(String path) {
        return byPath.get(path);
    }

    // ---------------------------------------------------------------- commands (UI thread)

    /** Turns compare mode on (or switches B) and compares the window's current result. */
    public void start(CompareSource s) {
        source.set(s);
        submit();
    }

    /** Turns compare mode off: cancels the passes and forgets the comparison. */
    public void stop() {
        lane.cancel();
        source.set(null);
        setResult(null);
        status.set("");
    }

    /** Shows {@code message} on the panel's status line (a setting refused, say). */
    public void say(String message) {
        status.set(message);
    }

    /** Cancels the passes; the previous comparison stays (with none, compare mode goes off). */
    public void cancel() {
        lane.cancel();
    }

    /** Selects the first divergent module and, once shown, its channel of largest difference; false when there is none. */
    public boolean goToFirstDivergent() {
        String p = firstDivergent.get();
        if (p == null || p.isEmpty() || !vm.select(p)) {
            return false;
        }
        difference.selectLargestDifference(p);
        return true;
    }

    void close() {
        lane.close();
        difference.close();
        setResult(null);
    }

    // ---------------------------------------------------------------- the tree's column

    /** What the module tree shows for {@code path} under the chosen metric and tolerance. */
    public Cell cell(String path) {
        Result r = result.get();
        if (r == null || path.isEmpty()) {
            return Cell.EMPTY;
        }
        ModuleComparison m = byPath.get(path);
        if (m == null) {
            if (r.comparison().onlyInA().contains(path)) {
                return new Cell("—", 0, Level.MISSING, "only in A: " + r.comparison().b() + " has no module " + path);
            }
            return Cell.EMPTY; // no output of its own (a ModuleList, a holder that never runs)
        }
        if (!m.comparable()) {
            return new Cell("—", 0, Level.MISSING, m.reason());
        }
        var x = m.metrics();
        boolean diverges = x.diverges(tolerance.get());
        Level level = path.equals(firstDivergent.get()) ? Level.FIRST : diverges ? Level.DIVERGES : Level.WITHIN;
        String text;
        double bar;
        if (metric.get() == Metric.SQNR) {
            text = Double.isInfinite(x.sqnrDb()) && x.sqnrDb() > 0 ? "∞ dB"
                    : String.format(Locale.ROOT, "%.1f dB", x.sqnrDb());
            // 60 dB and more: no bar; 0 dB and less (noise as strong as the signal): a full one
            bar = Double.isNaN(x.sqnrDb()) ? 1 : Math.max(0, Math.min(1, 1 - x.sqnrDb() / 60));
        } else {
            text = x.relErr() == 0 ? "0" : String.format(Locale.ROOT, "%.2e", x.relErr());
            // log scale: 1e-7 and less no bar, 1 and more a full one
            bar = x.relErr() <= 0 ? 0 : Double.isNaN(x.relErr()) ? 1
                    : Math.max(0, Math.min(1, (Math.log10(x.relErr()) + 7) / 7));
        }
        String tip = String.format(Locale.ROOT, "%s%nmax|a-b| %.4g   mean|a-b| %.4g%nrelative error %.4g (tolerance %.3g)%n"
                + "cosine %.6f   SQNR %s", path, x.maxAbs(), x.meanAbs(), x.relErr(), tolerance.get(), x.cosine(),
                Double.isInfinite(x.sqnrDb()) ? "∞ (identical)" : String.format(Locale.ROOT, "%.2f dB", x.sqnrDb()))
                + (level == Level.FIRST ? "\nthe first module past the tolerance" : "");
        return new Cell(text, bar, level, tip);
    }

    // ---------------------------------------------------------------- jobs

    /** Whether compare mode is on and the window's result {@code r} has not been compared yet. */
    private boolean stale(RunResult r) {
        return source.get() != null && r != null && r.inspection() != null
                && (result.get() == null || result.get().run() != r);
    }

    private void submit() {
        CompareSource s = source.get();
        RunResult r = vm.resultProperty().get();
        if (s == null) {
            return;
        }
        if (r == null || r.inspection() == null) {
            lane.cancel();
            status.set("Open an image first: compare runs on the window's image");
            return;
        }
        Comparer.Options o = new Comparer.Options(tolerance.get(), vm.thresholdProperty().get(),
                Comparer.Options.DEFAULT.matchIou());
        status.set("Comparing with " + s.describe() + "…");
        lane.submit(job -> compute(job, s, r, o), this::commit, Result::dispose, () -> cancelled(s),
                t -> failed(s, r, t));
    }

    private Result compute(JobLane.Job job, CompareSource s, RunResult r, Comparer.Options o) throws Exception {
        LoadedImage imgA = r.image();
        Model a = r.model();
        Model b = a;
        LoadedImage imgB = imgA;
        boolean mirrored = false;
        if (s instanceof CompareSource.ModelRef m) {
            b = load(m.ref());
        } else if (s instanceof CompareSource.Loaded m) {
            b = m.model();
        } else if (s instanceof CompareSource.Int8File i) {
            b = simulate(a, s, () -> Calibration.read(i.calibration(), i.range()), i.weights());
        } else if (s instanceof CompareSource.Int8Stats i) {
            if (i.model() != a) {
                throw new IllegalArgumentException("the dataset statistics are of " + i.model().name() + ", not of "
                        + a.name() + ": run them on this model for its int8 ranges");
            }
            b = simulate(a, s, () -> Calibration.fromStats(i.stats(), i.folder(), i.range()), i.weights());
        } else if (s instanceof CompareSource.ImageFile f) {
            imgB = Images.read(f.file());
            List<String> warnings = imgB.warnings();
            if (!warnings.isEmpty()) {
                services.ui().execute(() -> vm.notice(Notice.warning(String.join("\n", warnings))));
            }
        } else if (s instanceof CompareSource.Variant v) {
            imgB = ImageVariants.make(imgA, v.kind(), v.amount());
            mirrored = v.kind() == ImageVariants.Kind.MIRRORED;
        }
        job.check();
        if (mirrored) {
            o = o.mirrored();
        }
        Image pictureB = s.otherImage() ? services.pictures().apply(Rgb.of(Images.fit(imgB, 320))) : null;
        int total = InspectorViewModel.countCallable(a) + InspectorViewModel.countCallable(b);
        AtomicInteger done = new AtomicInteger();
        long t0 = System.nanoTime();
        // both sides from inspect-all passes: every module's own unfused value kept, the comparison
        // reads them all and recomputes none, and both sides have the same arithmetic (the window's
        // pass is fused), so that modules that agree differ by exactly 0
        Model modelB = b;
        LoadedImage imageB = imgB;
        Passes passes = Passes.run(
                () -> a.inspectAll(imgA, e -> job.progress(0.9 * done.incrementAndGet() / total), job::cancelled),
                () -> modelB.inspectAll(imageB, e -> job.progress(0.9 * done.incrementAndGet() / total), job::cancelled),
                job::cancelled);
        Inspection ia = passes.a();
        Inspection ib = passes.b();
        long t1 = System.nanoTime();
        try {
            String imageA = imgA.name();
            Comparison c = Comparer.of(ia, ib, a.name(), b.name(), imageA,
                    s.otherImage() ? (s instanceof CompareSource.ImageFile ? s.describe() : imageA + " " + s.describe())
                            : null, o, job::cancelled);
            job.progress(1);
            if (c.comparedCount() == 0) {
                throw new IllegalArgumentException(a.name() + " and " + b.name() + " share no module with an output "
                        + "of the same shape: nothing to compare");
            }
            return new Result(s, c, r, ia, ib, imgB, pictureB, mirrored, (t1 - t0) / 1_000_000,
                    (System.nanoTime() - t1) / 1_000_000);
        } catch (RuntimeException | Error e) {
            ia.close();
            ib.close();
            throw e;
        }
    }

    private interface CalibrationMaker {
        Calibration make() throws Exception;
    }

    private Model load(String ref) throws Exception {
        Cached c = loaded;
        if (ref.equals(c.key())) {
            return c.model();
        }
        Path p = Path.of(ref);
        Model m = vm.loader().load(ref, java.nio.file.Files.isRegularFile(p) ? InspectorViewModel.labelsNextTo(p) : null);
        loaded = new Cached(ref, m);
        return m;
    }

    private Model simulate(Model a, CompareSource s, CalibrationMaker cal, Int8Simulation.Weights w) throws Exception {
        Cached c = simulated;
        List<Object> key = List.of(a, s);
        if (key.equals(c.key())) {
            return c.model();
        }
        Model m = Int8Simulation.apply(a, cal.make(), w);
        simulated = new Cached(key, m);
        List<String> added = m.notes().subList(a.notes().size(), m.notes().size());
        List<String> warnings = added.stream().filter(n -> n.startsWith("warning")).toList();
        if (!warnings.isEmpty()) {
            services.ui().execute(() -> vm.notice(Notice.warning(m.name() + ":\n" + String.join("\n", warnings))));
        }
        return m;
    }

    private void commit(Result r) {
        if (source.get() != r.source()) {
            r.dispose(); // compare mode was switched off or to another B meanwhile
            return;
        }
        setResult(r);
        Comparison c = r.comparison();
        long missing = c.modules().size() - c.comparedCount();
        status.set(String.format(Locale.ROOT, "%d modules compared, %d without a counterpart, %d only in A, %d only in "
                + "B · passes %d ms, figures %d ms", c.comparedCount(), missing, c.onlyInA().size(),
                c.onlyInB().size(), r.passMillis(), r.compareMillis()));
    }

    private void setResult(Result r) {
        Result old = result.get();
        Map<String, ModuleComparison> m = new HashMap<>();
        if (r != null) {
            for (ModuleComparison x : r.comparison().modules()) {
                m.put(x.path(), x);
            }
        }
        byPath = m;
        updateFirstOf(r);
        result.set(r);
        if (old != null && old != r) {
            old.dispose();
        }
    }

    private void updateFirst() {
        updateFirstOf(result.get());
    }

    private void updateFirstOf(Result r) {
        String first = "";
        if (r != null) {
            for (ModuleComparison x : r.comparison().modules()) {
                if (x.comparable() && x.metrics().diverges(tolerance.get())) {
                    first = x.path();
                    break;
                }
            }
        }
        firstDivergent.set(first);
    }

    /**
     * A comparison cancelled: the previous one stays; with none before, compare mode goes off (it
     * stayed on, an empty column in the tree, and F5 ran the cancelled comparison: walkthrough).
     */
    private void cancelled(CompareSource s) {
        status.set("Cancelled");
        if (result.get() == null && source.get() == s) {
            source.set(null);
        }
    }

    private void failed(CompareSource s, RunResult r, Throwable t) {
        if (t instanceof IllegalStateException && vm.resultProperty().get() != r) {
            return; // the window's inspection was closed under the job: a comparison of the new one is on its way
        }
        String msg = InspectorViewModel.message("Comparing with " + s.describe(), t);
        status.set("Failed: " + msg.lines().findFirst().orElse(msg));
        // the previous comparison is not kept on screen: the panel, the tree's column and the
        // gallery's |A-B| went on showing it under the new B's name (walkthrough); compare mode is off
        setResult(null);
        source.set(null);
        vm.errorProperty().set(null);
        vm.errorProperty().set(msg);
    }
}

package org.layerlens.engine.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.layerlens.engine.api.Box;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.api.ModuleEvent;
import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.image.LoadedImage;

/**
 * Compares two inspect passes module by module: two models on one image (a .pth and its ONNX
 * export, two checkpoints, a model and its int8 what-if) or one model on two images. Modules are
 * matched by path; a module compared needs an output on both sides, of equal shape, that means
 * the same on both sides ({@link Model#notComparable()}).
 */
public final class Comparer {
    /**
     * @param tolerance      relative error above which a module has parted ways (default 1e-3)
     * @param scoreThreshold detections kept on both sides
     * @param matchIou       IoU at which two detections of one class are the same object
     * @param mirrorB        run B saw the mirror image of run A's image: B's maps are flipped back
     *                       along their width and its boxes reflected before anything is compared
     */
    public record Options(double tolerance, double scoreThreshold, double matchIou, boolean mirrorB) {
        public static final Options DEFAULT = new Options(1e-3, 0.5, 0.5, false);

        public Options(double tolerance, double scoreThreshold, double matchIou) {
            this(tolerance, scoreThreshold, matchIou, false);
        }

        /** The same options for a run B on the mirror image of A's image. */
        public Options mirrored() {
            return new Options(tolerance, scoreThreshold, matchIou, true);
        }
    }

    private Comparer() {
    }

    /** Two models on one image: two inspect-all passes ({@link Passes}), then {@link #of}. */
    public static Comparison models(Model a, Model b, LoadedImage img, Options o, Progress progress,
                                    BooleanSupplier cancelled) {
        progress.update(0, 2, "inspecting " + a.name() + " and " + b.name());
        try (Passes p = Passes.run(() -> a.inspectAll(img, null, cancelled), () -> b.inspectAll(img, null, cancelled),
                cancelled)) {
            progress.update(1, 2, "comparing");
            return of(p.a(), p.b(), a.name(), b.name(), img.name(), null, o, cancelled);
        }
    }

    /** One model on two images: per module, image B's activations against image A's. */
    public static Comparison images(Model m, LoadedImage a, LoadedImage b, Options o, Progress progress,
                                    BooleanSupplier cancelled) {
        progress.update(0, 2, "inspecting " + a.name() + " and " + b.name());
        try (Passes p = Passes.run(() -> m.inspectAll(a, null, cancelled), () -> m.inspectAll(b, null, cancelled),
                cancelled)) {
            progress.update(1, 2, "comparing");
            return of(p.a(), p.b(), m.name(), m.name(), a.name(), b.name(), o, cancelled);
        }
    }

    /** Compares two finished inspections (the caller closes them). */
    public static Comparison of(Inspection a, Inspection b, String nameA, String nameB, String image, String imageB,
                                Options o, BooleanSupplier cancelled) {
        Model ma = a.model();
        Model mb = b.model();
        Set<String> folded = new HashSet<>(ma.notComparable());
        folded.addAll(mb.notComparable());
        List<Row> rows = new ArrayList<>();
        List<String> onlyInA = new ArrayList<>();
        List<String> onlyInB = new ArrayList<>();
        // modules that are one value (a Sequential and its last child) are measured once
        Map<Long, Integer> pairOf = new HashMap<>();
        List<String> pairPaths = new ArrayList<>();
        Set<String> paths = new LinkedHashSet<>(a.events().keySet());
        paths.addAll(b.events().keySet());
        for (String path : paths) {
            ModuleEvent ea = a.event(path);
            ModuleEvent eb = b.event(path);
            if (folded.contains(path)) {
                String side = ma.notComparable().contains(path) ? "A" : "B";
                ModuleEvent e = ea != null ? ea : eb;
                rows.add(Row.fixed(new ModuleComparison(path, e.type(), e.outputShape(), false,
                        "no counterpart in " + side + ": folded into a fused operation there",
                        null)));
                continue;
            }
            if (ea == null || eb == null) {
                (ea == null ? onlyInB : onlyInA).add(path);
                continue;
            }
            if (o.mirrorB() && ea.outputShape().length != 3) {
                rows.add(Row.fixed(new ModuleComparison(path, ea.type(), ea.outputShape(), false,
                        "flattened output: no width to mirror back", null)));
                continue;
            }
            if (!Arrays.equals(ea.outputShape(), eb.outputShape())) {
                rows.add(Row.fixed(new ModuleComparison(path, ea.type(), ea.outputShape(), false, "shape "
                        + Arrays.toString(ea.outputShape()) + " in A, " + Arrays.toString(eb.outputShape()) + " in B",
                        null)));
                continue;
            }
            long key = ((long) valueId(ma, path) << 32) | (valueId(mb, path) & 0xffffffffL);
            rows.add(new Row(path, ea, null, pairOf.computeIfAbsent(key, k -> {
                pairPaths.add(path);
                return pairPaths.size() - 1;
            })));
        }
        LayerMetrics[] measured = PairMeasure.all(a, b, pairPaths, o.mirrorB(), cancelled);
        List<ModuleComparison> modules = new ArrayList<>(rows.size());
        String first = null;
        for (Row r : rows) {
            if (r.fixed() != null) {
                modules.add(r.fixed());
                continue;
            }
            LayerMetrics m = measured[r.pair()];
            modules.add(new ModuleComparison(r.path(), r.event().type(), r.event().outputShape(), true, null, m));
            if (first == null && m.diverges(o.tolerance())) {
                first = r.path();
            }
        }
        List<Detection> da = a.output().detections(o.scoreThreshold());
        List<Detection> db = b.output().detections(o.scoreThreshold());
        if (o.mirrorB()) {
            // boxes are in the file's pixels: a photo kept smaller than its file is reflected about the file's width
            double width = b.image().originalWidth();
            db = db.stream().map(d -> Mirror.detection(d, width)).toList();
        }
        db = inFrameOf(a.image(), b.image(), db);
        return new Comparison(nameA, nameB, image, imageB, o.tolerance(), List.copyOf(modules), first,
                List.copyOf(onlyInA), List.copyOf(onlyInB), da, db, DetectionMatcher.pair(da, db, o.matchIou()));
    }

    /**
     * B's detections in A's image frame: the same where the images are the same size; scaled by
     * the ratio of the sizes where they are not (both went through the same preprocessing to the
     * network's input, so an image and its resized copy give boxes that differ only by that scale,
     * and compared in pixels of their own they never matched).
     */
    static List<Detection> inFrameOf(LoadedImage a, LoadedImage b, List<Detection> db) {
        double sx = (double) a.originalWidth() / b.originalWidth();
        double sy = (double) a.originalHeight() / b.originalHeight();
        if (sx == 1 && sy == 1) {
            return db;
        }
        return db.stream().map(d -> d.withBoxes(x -> new Box(x.x1() * sx, x.y1() * sy, x.x2() * sx, x.y2() * sy)))
                .toList();
    }

    /** One module in the report: compared already ({@code fixed}: not comparable), or measured as value pair {@code pair}. */
    private record Row(String path, ModuleEvent event, ModuleComparison fixed, int pair) {
        static Row fixed(ModuleComparison c) {
            return new Row(c.path(), null, c, -1);
        }
    }

    private static int valueId(Model m, String path) {
        Graph.ModuleRun run = m.graph().module(path);
        return run == null ? -1 : run.output().id();
    }

    /**
     * {@code |A - B|} of one module's output, channels-last like the module's own data (the
     * window draws one heatmap per channel of it); null when either side has no output there or
     * the shapes differ.
     */
    public static LayerData difference(Inspection a, Inspection b, String path) {
        return difference(a, b, path, false);
    }

    /** The same, with B's output flipped back along its width first when B saw the mirror image. */
    public static LayerData difference(Inspection a, Inspection b, String path, boolean mirrorB) {
        LayerData x = a.layer(path);
        LayerData y = b.layer(path);
        if (mirrorB && y != null) {
            y = Mirror.layer(y);
        }
        if (x == null || y == null || !Arrays.equals(x.shape(), y.shape())) {
            return null;
        }
        float[] d = new float[x.values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.abs(x.values[i] - y.values[i]);
        }
        return new LayerData(path, x.channels, x.height, x.width, d, x.flat);
    }
}

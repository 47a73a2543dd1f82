package org.layerlens.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import org.layerlens.engine.analysis.Calibration;
import org.layerlens.engine.analysis.Comparer;
import org.layerlens.engine.analysis.Comparison;
import org.layerlens.engine.analysis.DetectionPair;
import org.layerlens.engine.analysis.Int8Simulation;
import org.layerlens.engine.analysis.LayerMetrics;
import org.layerlens.engine.analysis.ModuleComparison;
import org.layerlens.engine.analysis.Passes;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.DetectionsJson;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.image.Heatmaps;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.io.AtomicFiles;
import org.layerlens.viewer.CompareSource;
import org.layerlens.viewer.ImageVariants;

/**
 * {@code compare}: two models on one image, one model on two images, or a model against its
 * simulated int8 version; per module max/mean |a-b|, relative error, cosine and SQNR, the first
 * module past the tolerance, modules without a counterpart, and both runs' detections paired.
 */
final class CompareCommand implements Command {
    @Override
    public String name() {
        return "compare";
    }

    @Override
    public String usage() {
        return "compare  --model A (--with B | --with int8-per-channel|int8-per-tensor --calibration S.json "
                + "[--range minmax|p999|p9999]\n                 [--export-calibration OUT]) --image I | --model A "
                + "--image I --with-image J|mirrored|darker[:F]|jpeg[:Q]\n                 [--tolerance T] [--json OUT] "
                + "[--diff-out OUT.png]";
    }

    @Override
    public Set<String> options() {
        return Set.of("model", "labels", "with", "with-labels", "image", "with-image", "tolerance", "threshold",
                "json", "diff-out", "calibration", "range", "export-calibration");
    }

    @Override
    public int run(Args a, Context c) throws Exception {
        String with = a.get("with");
        String withImage = a.get("with-image");
        if ((with == null) == (withImage == null)) {
            throw new Args.UsageException("compare: give either --with (a second model, or int8-per-channel / "
                    + "int8-per-tensor) or --with-image (a second image), not " + (with == null ? "neither" : "both"));
        }
        String diffOut = a.getImageOut("diff-out");
        double tol = a.getDouble("tolerance", Comparer.Options.DEFAULT.tolerance());
        if (!(tol >= 0)) {
            throw new Args.UsageException("--tolerance must be a number >= 0, not " + a.get("tolerance"));
        }
        Comparer.Options opt = new Comparer.Options(tol, a.getFraction("threshold", 0.5),
                Comparer.Options.DEFAULT.matchIou());
        if (with != null && with.startsWith("image:")) {
            throw new Args.UsageException("compare: --with takes a second model; for the same model on another image, "
                    + "--with-image " + with.substring("image:".length()));
        }
        if (with != null && changedImage(with) != null) {
            throw new Args.UsageException("compare: --with takes a second model; for the same model on the image "
                    + "made different, --with-image " + with);
        }
        CompareSource.Variant variant = withImage == null ? null : changedImage(withImage);
        if (variant != null && variant.kind() == ImageVariants.Kind.MIRRORED) {
            opt = opt.mirrored();
        }
        Int8Simulation.Weights int8 = with == null ? null : Int8Simulation.Weights.parse(with);
        Calibration.Choice choice;
        try {
            choice = Calibration.Choice.parse(a.get("range", "minmax"));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("--range: " + e.getMessage());
        }
        if (int8 == null && with != null && with.startsWith("int8")) {
            throw new Args.UsageException("compare: --with int8-per-channel or int8-per-tensor, not '" + with + "'");
        }
        if (int8 != null && a.get("calibration") == null) {
            throw new Args.UsageException("compare: --with " + with + " needs --calibration (a stats --json file "
                    + "or a calibration table)");
        }
        if (int8 == null && (a.get("calibration") != null || a.get("export-calibration") != null)) {
            throw new Args.UsageException("compare: --calibration and --export-calibration go with --with "
                    + "int8-per-channel or int8-per-tensor");
        }
        Model ma = c.model(a);
        Model mb;
        if (int8 != null) {
            Calibration cal = Calibration.read(Paths.get(a.get("calibration")), choice);
            mb = Int8Simulation.apply(ma, cal, int8);
            for (String n : mb.notes().subList(ma.notes().size(), mb.notes().size())) {
                if (n.startsWith("warning") || c.verbose) {
                    c.err.println("layerlens: " + n);
                }
            }
            if (a.get("export-calibration") != null) {
                List<String> order = new ArrayList<>();
                ma.graph().modules().forEach(r -> order.add(r.path()));
                AtomicFiles.writeString(Paths.get(a.get("export-calibration")), cal.toJson(order));
                if (a.get("image") == null) {
                    c.out.println("wrote the calibration table to " + a.get("export-calibration"));
                    return 0;
                }
            }
        } else if (with != null) {
            mb = c.model(with, a.get("with-labels"));
        } else {
            mb = ma;
        }
        LoadedImage ia = c.read(Paths.get(a.require("image")));
        LoadedImage ib = withImage == null ? ia
                : variant != null ? ImageVariants.make(ia, variant.kind(), variant.amount()) : c.read(Paths.get(withImage));
        String nameB = variant == null ? withImage : a.get("image") + " " + variant.describe();
        Comparison r;
        LayerData diff = null;
        Model modelB = mb;
        try (Passes p = Passes.run(() -> ma.inspectAll(ia, null, null), () -> modelB.inspectAll(ib, null, null), null)) {
            Inspection xa = p.a();
            Inspection xb = p.b();
            r = Comparer.of(xa, xb, ma.name(), mb.name(), a.get("image"), nameB, opt, null);
            // with no divergent module, the one that parts most: the file is always written (a
            // file left from an earlier run was taken for this one's: walkthrough)
            String worst = r.firstDivergent() != null ? r.firstDivergent() : largestError(r);
            if (diffOut != null && worst != null) {
                diff = Comparer.difference(xa, xb, worst, opt.mirrorB());
                if (r.firstDivergent() == null && diff != null) {
                    boolean equal = r.modules().stream().filter(ModuleComparison::comparable)
                            .allMatch(m -> m.metrics().relErr() == 0);
                    c.err.println("layerlens: no divergent module; --diff-out shows " + worst + (equal
                            ? " (all zero: no module differs at all)" : ", the module with the largest relative error"));
                }
            }
        }
        if (r.comparedCount() == 0) {
            throw new IOException(ma.name() + " and " + mb.name() + " share no module with an output of the same "
                    + "shape: nothing to compare");
        }
        if (diffOut != null) {
            if (diff == null) {
                c.err.println("layerlens: no module to draw, so no difference image written");
            } else {
                writeDiff(Paths.get(diffOut), diff);
            }
        }
        // --json - puts the JSON on standard output, alone: the report goes to standard error
        boolean jsonOut = "-".equals(a.get("json"));
        if (a.get("json") != null && !jsonOut) {
            AtomicFiles.writeString(Paths.get(a.get("json")), json(r));
        }
        print(r, jsonOut ? c.err : c.out);
        if (jsonOut) {
            c.out.print(json(r));
        }
        return 0;
    }

    /**
     * The changed copy of A's image {@code spec} names when it is not a file: {@code mirrored},
     * {@code darker[:F]} or {@code jpeg[:Q]}, as the window's Compare makes it; null for anything
     * else (a file's path).
     * {@link Args.UsageException} for such a word with an amount out of range.
     */
    private static CompareSource.Variant changedImage(String spec) throws Args.UsageException {
        String[] p = spec.split(":", 2);
        String word = p[0].toLowerCase(Locale.ROOT);
        if (!Set.of("mirrored", "darker", "jpeg").contains(word) || Files.exists(Paths.get(spec))) {
            return null;
        }
        String amount = p.length > 1 ? p[1] : null;
        String form = word.equals("mirrored") ? "mirrored (no amount)" : word.equals("darker")
                ? "darker[:F] with 0 < F <= 1 (default 0.5)" : "jpeg[:Q] with a quality Q from 1 to 100 (default 20)";
        try {
            if (word.equals("mirrored") && amount != null) {
                throw new IllegalArgumentException();
            }
            return (CompareSource.Variant) CompareSource.parse(amount == null ? word : word + ":" + amount);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("compare: --with-image " + spec + ": " + form);
        }
    }

    /** The compared module with the largest relative error (NaN first: the worst), or null when none was compared. */
    private static String largestError(Comparison r) {
        ModuleComparison worst = null;
        for (ModuleComparison m : r.modules()) {
            if (m.comparable() && m.shape().length == 3 && (worst == null || !(m.metrics().relErr()
                    <= worst.metrics().relErr()) && !Double.isNaN(worst.metrics().relErr()))) {
                worst = m;
            }
        }
        return worst == null ? null : worst.path();
    }

    private static void print(Comparison r, PrintStream out) {
        long notComparable = r.modules().stream().filter(m -> !m.comparable()).count();
        out.printf(Locale.ROOT, "A: %s%s%nB: %s%s%n", r.a(), r.imageB() != null ? " on " + r.image() : "", r.b(),
                r.imageB() != null ? " on " + r.imageB() : "");
        out.printf(Locale.ROOT, "%d modules compared, %d without a counterpart, %d only in A, %d only in B; "
                + "tolerance %s (relative error)%n", r.comparedCount(), notComparable, r.onlyInA().size(),
                r.onlyInB().size(), r.tolerance());
        out.println(r.firstDivergent() == null ? "no module diverges"
                : "first divergent module: " + r.firstDivergent());
        List<ModuleComparison> cmp = new ArrayList<>(r.modules().stream().filter(ModuleComparison::comparable).toList());
        // a module whose output holds NaN first: it is worse than any SQNR (a plain sort put NaN last, unshown)
        cmp.sort(Comparator.comparingDouble(m -> Double.isNaN(m.metrics().sqnrDb()) ? Double.NEGATIVE_INFINITY
                : m.metrics().sqnrDb()));
        List<ModuleComparison> lowest = cmp.subList(0, Math.min(12, cmp.size()));
        // as wide as the longest path and type shown (TFLite scope paths run to 60 characters)
        int pathWidth = Math.max(32, lowest.stream().mapToInt(m -> m.path().length()).max().orElse(0));
        int typeWidth = Math.max(16, lowest.stream().mapToInt(m -> m.type().length()).max().orElse(0));
        String row = "%-" + pathWidth + "s %-" + typeWidth + "s %-14s ";
        out.printf(Locale.ROOT, row + "%11s %11s %9s %9s%n", "lowest SQNR", "type", "shape", "max|a-b|",
                "rel. error", "cosine", "SQNR dB");
        for (ModuleComparison m : lowest) {
            LayerMetrics x = m.metrics();
            out.printf(Locale.ROOT, row + "%11.4g %11.4g %9.6f %9.2f%n", m.path(), m.type(),
                    shape(m.shape()), x.maxAbs(), x.relErr(), x.cosine(), x.sqnrDb());
        }
        int both = 0;
        for (DetectionPair p : r.pairs()) {
            both += p.a() != null && p.b() != null ? 1 : 0;
        }
        out.printf(Locale.ROOT, "detections: %d in A, %d in B, %d matched (IoU >= 0.5)%n", r.detectionsA().size(),
                r.detectionsB().size(), both);
        for (DetectionPair p : r.pairs()) {
            out.printf(Locale.ROOT, "  %-34s %-34s %s%n", det(p.a()), det(p.b()),
                    p.a() != null && p.b() != null ? String.format(Locale.ROOT, "IoU %.3f", p.iou())
                            : p.a() == null ? "only in B" : "only in A");
        }
    }

    private static String det(Detection d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%s %.3f %s", d.label(), d.score(), DetectionsJson.box(d.box()));
    }

    private static String shape(int[] s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length; i++) {
            b.append(i == 0 ? "" : "x").append(s[i]);
        }
        return b.toString();
    }

    /** The JSON shape; SQNR of two equal tensors (infinite) is written as null. */
    static String json(Comparison r) {
        JsonObject o = new JsonObject();
        o.addProperty("a", r.a());
        o.addProperty("b", r.b());
        o.addProperty("image", r.image());
        if (r.imageB() != null) {
            o.addProperty("imageB", r.imageB());
        }
        o.addProperty("tolerance", r.tolerance());
        JsonArray mods = new JsonArray();
        for (ModuleComparison m : r.modules()) {
            JsonObject j = new JsonObject();
            j.addProperty("path", m.path());
            JsonArray shape = new JsonArray();
            for (int d : m.shape()) {
                shape.add(d);
            }
            j.add("shape", shape);
            j.addProperty("comparable", m.comparable());
            if (m.comparable()) {
                LayerMetrics x = m.metrics();
                j.add("maxAbs", num(x.maxAbs()));
                j.add("meanAbs", num(x.meanAbs()));
                j.add("relErr", num(x.relErr()));
                j.add("cosine", num(x.cosine()));
                j.add("sqnrDb", num(x.sqnrDb()));
            } else {
                j.addProperty("reason", m.reason());
            }
            mods.add(j);
        }
        o.add("modules", mods);
        o.add("firstDivergent", r.firstDivergent() == null ? JsonNull.INSTANCE
                : new com.google.gson.JsonPrimitive(r.firstDivergent()));
        o.add("onlyInA", strings(r.onlyInA()));
        o.add("onlyInB", strings(r.onlyInB()));
        JsonObject dets = new JsonObject();
        dets.add("a", detections(r, true));
        dets.add("b", detections(r, false));
        o.add("detections", dets);
        return org.layerlens.engine.io.JsonText.of(o, true) + "\n";
    }

    private static com.google.gson.JsonElement num(double v) {
        return Double.isFinite(v) ? new com.google.gson.JsonPrimitive(v) : JsonNull.INSTANCE;
    }

    private static JsonArray strings(List<String> l) {
        JsonArray a = new JsonArray();
        l.forEach(a::add);
        return a;
    }

    /** One side's detections, each with the index of its match on the other side (null: only on this side) and the IoU. */
    private static JsonArray detections(Comparison r, boolean sideA) {
        List<Detection> mine = sideA ? r.detectionsA() : r.detectionsB();
        List<Detection> other = sideA ? r.detectionsB() : r.detectionsA();
        JsonArray arr = new JsonArray();
        for (Detection d : mine) {
            JsonObject j = new JsonObject();
            j.addProperty("label", d.label());
            j.addProperty("classId", d.classId());
            j.addProperty("score", d.score());
            j.add("box", DetectionsJson.box(d.box()));
            DetectionPair p = r.pairs().stream().filter(x -> (sideA ? x.a() : x.b()) == d).findFirst().orElseThrow();
            Detection m = sideA ? p.b() : p.a();
            if (m == null) {
                // both keys on every detection, so that a reader needs no case for a missing one
                j.add("match", JsonNull.INSTANCE);
                j.add("iou", JsonNull.INSTANCE);
            } else {
                j.addProperty("match", other.indexOf(m));
                j.addProperty("iou", Math.round(p.iou() * 1e4) / 1e4);
            }
            arr.add(j);
        }
        return arr;
    }

    /**
     * Up to 64 channels of {@code |A - B|}, one colour scale for all (inferno), in a grid, under a
     * caption naming the module, the channels shown and the scale's ends.
     */
    private static void writeDiff(Path out, LayerData d) throws IOException {
        int n = Math.min(64, d.channels);
        int cols = (int) Math.ceil(Math.sqrt(n));
        int rows = (n + cols - 1) / cols;
        int scale = Math.max(1, 64 / Math.max(d.width, d.height));
        int tw = d.width * scale;
        int th = d.height * scale;
        int gap = 2;
        int w = cols * (tw + gap) - gap;
        int h = rows * (th + gap) - gap;
        byte[] img = new byte[w * h * 3];
        java.util.Arrays.fill(img, (byte) 0x40);
        for (int ch = 0; ch < n; ch++) {
            byte[] tile = Heatmaps.rgb(d, ch, Heatmaps.ColorMap.INFERNO, Heatmaps.Normalise.LAYER, tw, th);
            int x0 = (ch % cols) * (tw + gap);
            int y0 = (ch / cols) * (th + gap);
            for (int y = 0; y < th; y++) {
                System.arraycopy(tile, y * tw * 3, img, ((y0 + y) * w + x0) * 3, tw * 3);
            }
        }
        LayerData.Stats range = d.stats();
        String what = String.format(Locale.ROOT, "|A - B| at %s (%d x %d x %d), channels 0-%d of %d", d.path,
                d.channels, d.height, d.width, n - 1, d.channels);
        String colours = String.format(Locale.ROOT, "inferno, one scale for all: %.4g (black) to %.4g (yellow); row by row",
                range.min(), range.max());
        AtomicFiles.write(out, tmp -> Heatmaps.writeCaptioned(tmp, img, w, h, 560, what, colours));
    }
}

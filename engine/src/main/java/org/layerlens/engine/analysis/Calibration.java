package org.layerlens.engine.analysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import org.layerlens.engine.io.CheckpointException;

/**
 * Activation ranges per module output and the uint8 grid each one gets (asymmetric:
 * {@code scale = (hi - lo) / 255} over the range widened to hold 0, {@code zeroPoint =
 * rint(-lo / scale)} in [0, 255]), made from a statistics run or read back from a table this
 * class wrote ({@code --export-calibration}) or the PyTorch reference wrote in the same shape:
 * <pre>{"range": "minmax", "source": "...", "modules": {"path": {"min", "max", "scale", "zeroPoint", "shape"}, ...}}</pre>
 * A module's output shape ([C, H, W]; in tables written before it was recorded, and in the
 * PyTorch reference's, none) lets {@link Int8Simulation} refuse a table made on another model
 * whose module paths happen to match (a VGG's base_net.1 is not mb2-ssd-lite's).
 *
 * @param shapes output shape per module path, where known
 */
public record Calibration(String source, Choice choice, Map<String, Range> ranges, Map<String, List<Integer>> shapes) {

    /** Which figures of a statistics run bound a tensor's range. */
    public enum Choice {
        /** the exact minimum and maximum seen */
        MINMAX,
        /** min and max clipped to +-(99.9th percentile of |x|) */
        P999,
        /** min and max clipped to +-(99.99th percentile of |x|) */
        P9999;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Choice parse(String s) {
            for (Choice c : values()) {
                if (c.key().equals(s)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("a range is minmax, p999 or p9999, not '" + s + "'");
        }
    }

    /** One tensor's range and its uint8 grid. */
    public record Range(double min, double max, float scale, int zeroPoint) {
        /** The grid for {@code [min, max]}, widened to hold 0 (so that zero and padding are exact). */
        public static Range of(double min, double max) {
            double lo = Math.min(min, 0);
            double hi = Math.max(max, 0);
            float scale = (float) ((hi - lo) / 255);
            if (!(scale > 0) || !Float.isFinite(scale)) {
                scale = 1f; // a tensor that is 0 everywhere: any grid holds it
            }
            int zp = (int) Math.max(0, Math.min(255, Math.rint(-lo / scale)));
            return new Range(min, max, scale, zp);
        }
    }

    public Range range(String path) {
        return ranges.get(path);
    }

    /** Ranges from a statistics run, each module's tensor bounded as {@code choice} says. */
    public static Calibration fromStats(DatasetStats stats, String source, Choice choice) {
        Map<String, Range> out = new LinkedHashMap<>();
        Map<String, List<Integer>> shapes = new LinkedHashMap<>();
        for (ModuleStats m : stats.modules()) {
            shapes.put(m.path(), IntStream.of(m.shape()).boxed().toList());
            ModuleStats.TensorRange r = m.range();
            double lo = r.min();
            double hi = r.max();
            if (choice != Choice.MINMAX) {
                double p = choice == Choice.P999 ? r.p999() : r.p9999();
                lo = Math.max(lo, -p);
                hi = Math.min(hi, p);
            }
            out.put(m.path(), Range.of(lo, hi));
        }
        return new Calibration(source, choice, Map.copyOf(out), Map.copyOf(shapes));
    }

    /**
     * Reads a statistics file ({@code stats --json}: ranges made as {@code choice} says) or a
     * calibration table (its own grids, {@code choice} unused). One clear line on anything else.
     */
    public static Calibration read(Path file, Choice choice) throws IOException {
        if (Files.isDirectory(file)) {
            throw new CheckpointException(file, "a folder, not a statistics file or calibration table");
        }
        JsonObject root;
        try {
            JsonElement e = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new CheckpointException(file, "not a statistics file or calibration table (not a JSON object)");
            }
            root = e.getAsJsonObject();
        } catch (JsonParseException | java.nio.charset.CharacterCodingException e) {
            throw new CheckpointException(file, "not a statistics file or calibration table (not valid JSON)");
        }
        try {
            JsonElement modules = root.get("modules");
            if (modules != null && modules.isJsonArray()) {
                return fromStats(StatsJson.read(root), file.toString(), choice);
            }
            if (modules != null && modules.isJsonObject()) {
                return table(root, file);
            }
        } catch (IllegalStateException | ClassCastException | NullPointerException | NumberFormatException
                 | UnsupportedOperationException e) {
            throw new CheckpointException(file, "damaged statistics file or calibration table: " + e.getMessage());
        }
        throw new CheckpointException(file, "not a statistics file (stats --json) or calibration table "
                + "(--export-calibration): no \"modules\"");
    }

    private static Calibration table(JsonObject root, Path file) throws IOException {
        Map<String, Range> out = new LinkedHashMap<>();
        Map<String, List<Integer>> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : root.getAsJsonObject("modules").entrySet()) {
            if (!e.getValue().isJsonObject()) {
                throw new CheckpointException(file, e.getKey() + ": not an object with min and max");
            }
            JsonObject o = e.getValue().getAsJsonObject();
            if (o.has("shape")) {
                List<Integer> shape = new ArrayList<>();
                o.getAsJsonArray("shape").forEach(x -> shape.add(x.getAsInt()));
                shapes.put(e.getKey(), List.copyOf(shape));
            }
            String path = e.getKey();
            double min = number(o, "min", path, file);
            double max = number(o, "max", path, file);
            if (!(min <= max) || !Double.isFinite(min) || !Double.isFinite(max)) {
                throw new CheckpointException(file, path + ": a range needs finite min <= max (min " + min + ", max "
                        + max + ")");
            }
            Range grid = Range.of(min, max);
            if (!o.has("scale") && !o.has("zeroPoint")) {
                out.put(path, grid); // a hand-written table may give the range alone
                continue;
            }
            float scale = (float) number(o, "scale", path, file);
            int zp = (int) number(o, "zeroPoint", path, file);
            if (!(scale > 0) || !Float.isFinite(scale) || zp < 0 || zp > 255 || zp != number(o, "zeroPoint", path, file)) {
                throw new CheckpointException(file, path + ": a grid needs scale > 0 and an integer zeroPoint in 0..255");
            }
            // the simulation quantises with the grid: a range edited without it would silently do nothing
            // (tolerances: the PyTorch reference computes the same grid in float32)
            if (Math.abs(scale - grid.scale()) > 1e-4 * grid.scale() || Math.abs(zp - grid.zeroPoint()) > 1) {
                throw new CheckpointException(file, String.format(Locale.ROOT, "%s: scale %.6g and zeroPoint %d are "
                        + "not the grid of min %.6g and max %.6g (scale %.6g, zeroPoint %d): give min and max alone, "
                        + "or all four as they agree", path, scale, zp, min, max, grid.scale(), grid.zeroPoint()));
            }
            out.put(path, new Range(min, max, scale, zp));
        }
        if (out.isEmpty()) {
            throw new CheckpointException(file, "the calibration table has no modules");
        }
        Choice c = Choice.MINMAX;
        if (root.has("range")) {
            try {
                c = Choice.parse(root.get("range").getAsString());
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(file, e.getMessage());
            }
        }
        return new Calibration(file.toString(), c, Map.copyOf(out), Map.copyOf(shapes));
    }

    /** A module's number {@code key}, or one line naming the module and the key. */
    private static double number(JsonObject o, String key, String path, Path file) throws CheckpointException {
        JsonElement v = o.get(key);
        if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
            throw new CheckpointException(file, path + ": no number \"" + key + "\"");
        }
        return v.getAsDouble();
    }

    /** The table as JSON, modules in the order given. */
    public String toJson(Iterable<String> order) {
        JsonObject root = new JsonObject();
        root.addProperty("range", choice.key());
        root.addProperty("source", source);
        JsonObject mods = new JsonObject();
        for (String p : order) {
            Range r = ranges.get(p);
            if (r == null) {
                continue;
            }
            JsonObject o = new JsonObject();
            o.addProperty("min", r.min());
            o.addProperty("max", r.max());
            o.addProperty("scale", r.scale());
            o.addProperty("zeroPoint", r.zeroPoint());
            List<Integer> shape = shapes.get(p);
            if (shape != null) {
                JsonArray a = new JsonArray();
                shape.forEach(a::add);
                o.add("shape", a);
            }
            mods.add(p, o);
        }
        root.add("modules", mods);
        return org.layerlens.engine.io.JsonText.of(root, true) + "\n";
    }
}

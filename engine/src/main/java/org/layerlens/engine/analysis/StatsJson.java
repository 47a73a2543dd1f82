package org.layerlens.engine.analysis;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * {@link DatasetStats} as JSON: {@code {"model", "images", "skipped", "modules": [{"path", "type",
 * "shape", "channels": [{"min", "max", "mean", "std", "zeros", "atCeiling", "p999", "p9999"}],
 * "dead", "saturated", "range": {"min", "max", "p999", "p9999"}, "histogram": {"lo", "width",
 * "counts"}}]}}; and back (for calibration).
 */
public final class StatsJson {
    private StatsJson() {
    }

    public static String write(DatasetStats s) {
        JsonObject root = new JsonObject();
        root.addProperty("model", s.model());
        root.addProperty("images", s.images());
        JsonArray skipped = new JsonArray();
        s.skipped().forEach(skipped::add);
        root.add("skipped", skipped);
        JsonArray mods = new JsonArray();
        for (ModuleStats m : s.modules()) {
            JsonObject o = new JsonObject();
            o.addProperty("path", m.path());
            o.addProperty("type", m.type());
            o.add("shape", ints(m.shape()));
            JsonArray ch = new JsonArray();
            for (ChannelStats c : m.channels()) {
                JsonObject j = new JsonObject();
                j.addProperty("min", c.min());
                j.addProperty("max", c.max());
                j.addProperty("mean", c.mean());
                j.addProperty("std", c.std());
                j.addProperty("zeros", c.zeros());
                j.addProperty("atCeiling", c.atCeiling());
                j.addProperty("p999", c.p999());
                j.addProperty("p9999", c.p9999());
                ch.add(j);
            }
            o.add("channels", ch);
            o.add("dead", ints(m.dead()));
            o.add("saturated", ints(m.saturated()));
            JsonObject r = new JsonObject();
            r.addProperty("min", m.range().min());
            r.addProperty("max", m.range().max());
            r.addProperty("p999", m.range().p999());
            r.addProperty("p9999", m.range().p9999());
            o.add("range", r);
            JsonObject h = new JsonObject();
            h.addProperty("lo", m.histogram().lo());
            h.addProperty("width", m.histogram().width());
            JsonArray counts = new JsonArray();
            for (long c : m.histogram().counts()) {
                counts.add(c);
            }
            h.add("counts", counts);
            o.add("histogram", h);
            mods.add(o);
        }
        root.add("modules", mods);
        return org.layerlens.engine.io.JsonText.of(root, false) + "\n";
    }

    private static JsonArray ints(int[] v) {
        JsonArray a = new JsonArray();
        for (int x : v) {
            a.add(x);
        }
        return a;
    }

    private static int[] ints(JsonElement e) {
        JsonArray a = e.getAsJsonArray();
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsInt();
        }
        return v;
    }

    /** Reads what {@link #write} wrote; a missing or mistyped field throws an unchecked exception naming nothing (the caller names the file). */
    static DatasetStats read(JsonObject root) {
        List<ModuleStats> mods = new ArrayList<>();
        for (JsonElement e : root.getAsJsonArray("modules")) {
            JsonObject o = e.getAsJsonObject();
            String path = req(o, "path").getAsString();
            List<ChannelStats> ch = new ArrayList<>();
            for (JsonElement c : req(o, "channels").getAsJsonArray()) {
                JsonObject j = c.getAsJsonObject();
                ch.add(new ChannelStats((float) number(j, "min"), (float) number(j, "max"), number(j, "mean"),
                        number(j, "std"), number(j, "zeros"), number(j, "atCeiling"), number(j, "p999"),
                        number(j, "p9999")));
            }
            JsonObject r = req(o, "range").getAsJsonObject();
            ModuleStats.TensorRange range = new ModuleStats.TensorRange((float) number(r, "min"),
                    (float) number(r, "max"), number(r, "p999"), number(r, "p9999"));
            if (!(range.min() <= range.max()) || !Float.isFinite(range.min()) || !Float.isFinite(range.max())
                    || !(range.p999() >= 0) || !(range.p9999() >= 0)) {
                // a run over a model with NaN weights (NaN ranges, written as null) or an edited file may not
                // hold this, and would quantise to nonsense
                throw new IllegalStateException(path + ": its range needs finite min <= max and p999, p9999 >= 0 "
                        + "(min " + range.min() + ", max " + range.max() + ")");
            }
            mods.add(new ModuleStats(path, o.has("type") ? o.get("type").getAsString() : "", ints(req(o, "shape")),
                    ch, ints(req(o, "dead")), ints(req(o, "saturated")), null, range));
        }
        List<String> skipped = new ArrayList<>();
        if (root.has("skipped")) {
            root.getAsJsonArray("skipped").forEach(x -> skipped.add(x.getAsString()));
        }
        return new DatasetStats(root.has("model") ? root.get("model").getAsString() : "",
                req(root, "images").getAsInt(), skipped, mods);
    }

    /** A number; null is what {@link #write} writes for NaN or an infinity (JsonText), read back as NaN. */
    private static double number(JsonObject o, String key) {
        if (!o.has(key)) {
            throw new IllegalStateException("no \"" + key + "\"" + (o.has("path") ? " in " + o.get("path") : ""));
        }
        JsonElement e = o.get(key);
        return e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }

    private static JsonElement req(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw new IllegalStateException("no \"" + key + "\"" + (o.has("path") ? " in " + o.get("path") : ""));
        }
        return e;
    }
}

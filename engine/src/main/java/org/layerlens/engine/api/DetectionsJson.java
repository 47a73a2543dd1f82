package org.layerlens.engine.api;

import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.layerlens.engine.image.LoadedImage;

/**
 * Detections in the CLI's JSON shape: {@code {image, width, height, detections: [{label, classId,
 * score, box}]}}, boxes {@code [x1, y1, x2, y2]} in pixels of the original image, clipped to it.
 */
public final class DetectionsJson {
    private DetectionsJson() {
    }

    public static JsonObject toObject(LoadedImage img, List<Detection> dets) {
        JsonObject o = new JsonObject();
        o.addProperty("image", img.source() == null ? "" : img.source().toString());
        o.addProperty("width", img.originalWidth());
        o.addProperty("height", img.originalHeight());
        JsonArray arr = new JsonArray();
        for (Detection d : dets) {
            JsonObject j = new JsonObject();
            j.addProperty("label", d.label());
            j.addProperty("classId", d.classId());
            j.addProperty("score", d.score());
            j.add("box", box(d.box()));
            arr.add(j);
        }
        o.add("detections", arr);
        return o;
    }

    /** {@code [x1, y1, x2, y2]} rounded to 0.01 px (finer is noise). */
    public static JsonArray box(Box b) {
        JsonArray a = new JsonArray();
        for (double v : b.toArray()) {
            // rounded to 0.01 px; not a NaN or an infinity, which rounding made 0 and 9.2e16 (JsonText writes null)
            a.add(Double.isFinite(v) ? Math.round(v * 100) / 100.0 : v);
        }
        return a;
    }

    public static String toJson(LoadedImage img, List<Detection> dets) {
        JsonArray all = new JsonArray();
        all.add(toObject(img, dets));
        return org.layerlens.engine.io.JsonText.of(all, true) + "\n";
    }
}

package org.layerlens.engine.ssd;

import java.util.List;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.layerlens.engine.image.LoadedImage;

/** Detections in the CLI's JSON shape: {image, width, height, detections: [{label, classId, score, box}]}. */
public final class DetectionsJson {
    private DetectionsJson() {
    }

    public static JsonObject toObject(LoadedImage img, List<Detection> dets) {
        JsonObject o = new JsonObject();
        o.addProperty("image", img.source() == null ? "" : img.source().toString());
        o.addProperty("width", img.width());
        o.addProperty("height", img.height());
        JsonArray arr = new JsonArray();
        for (Detection d : dets) {
            JsonObject j = new JsonObject();
            j.addProperty("label", d.label());
            j.addProperty("classId", d.classId());
            j.addProperty("score", d.score());
            JsonArray box = new JsonArray();
            box.add(d.x1());
            box.add(d.y1());
            box.add(d.x2());
            box.add(d.y2());
            j.add("box", box);
            arr.add(j);
        }
        o.add("detections", arr);
        return o;
    }

    public static String toJson(LoadedImage img, List<Detection> dets) {
        JsonArray all = new JsonArray();
        all.add(toObject(img, dets));
        return new GsonBuilder().setPrettyPrinting().create().toJson(all) + "\n";
    }
}

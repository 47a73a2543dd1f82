package org.layerlens.engine.io;

import java.util.Map;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * JSON text as strict parsers read it: JSON has no NaN or Infinity, and Gson wrote them as bare
 * tokens (Python's json.loads takes them, jq, JavaScript's JSON.parse and most others refuse the
 * whole file), so every number that is not finite is written as {@code null}, as compare's SQNR
 * of two equal tensors always was. A model with NaN weights is exactly when a user scripts over
 * these files.
 */
public final class JsonText {
    private JsonText() {
    }

    /** {@code e} as JSON text, non-finite numbers as null, nulls kept; {@code pretty}: indented. */
    public static String of(JsonElement e, boolean pretty) {
        GsonBuilder b = new GsonBuilder().serializeNulls();
        if (pretty) {
            b.setPrettyPrinting();
        }
        return b.create().toJson(finite(e));
    }

    /** A copy of {@code e} with every non-finite number replaced by null. */
    static JsonElement finite(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return JsonNull.INSTANCE;
        }
        if (e.isJsonPrimitive()) {
            JsonPrimitive p = e.getAsJsonPrimitive();
            return p.isNumber() && !Double.isFinite(p.getAsDouble()) ? JsonNull.INSTANCE : p;
        }
        if (e.isJsonArray()) {
            JsonArray out = new JsonArray();
            for (JsonElement x : e.getAsJsonArray()) {
                out.add(finite(x));
            }
            return out;
        }
        JsonObject out = new JsonObject();
        for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) {
            out.add(m.getKey(), finite(m.getValue()));
        }
        return out;
    }
}

package org.layerlens.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

/** Non-finite numbers at any depth are written as null (JSON has no NaN); everything else as it was. */
class JsonTextTest {
    @Test
    void nonFiniteNumbersBecomeNullAtAnyDepth() {
        JsonObject o = new JsonObject();
        o.addProperty("a", Double.NaN);
        o.addProperty("b", 1.5);
        o.addProperty("s", "NaN");
        JsonArray arr = new JsonArray();
        arr.add(Double.POSITIVE_INFINITY);
        arr.add(2);
        JsonObject inner = new JsonObject();
        inner.addProperty("c", Float.NEGATIVE_INFINITY);
        arr.add(inner);
        o.add("list", arr);
        assertEquals("{\"a\":null,\"b\":1.5,\"s\":\"NaN\",\"list\":[null,2,{\"c\":null}]}", JsonText.of(o, false));
    }
}

package org.layerlens.engine.ssd;

import java.util.Map;

/** Turns the heads' raw maps ({@code cls.i}, {@code reg.i}) into scores and boxes, as the model's own code does. */
public interface Decoder {
    Decoded decode(Map<String, float[]> raw, HeadLayout layout);

    /** Concatenates the heads' maps named {@code prefix.0, prefix.1, ...} in head order. */
    static float[] concat(Map<String, float[]> raw, String prefix, int heads) {
        int n = 0;
        for (int i = 0; i < heads; i++) {
            n += raw.get(prefix + "." + i).length;
        }
        float[] out = new float[n];
        int at = 0;
        for (int i = 0; i < heads; i++) {
            float[] a = raw.get(prefix + "." + i);
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }
}

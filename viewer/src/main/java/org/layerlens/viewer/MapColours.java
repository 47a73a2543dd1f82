package org.layerlens.viewer;

import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.image.Heatmaps;

/**
 * Maps coloured for drawing over the picture: OpenCV's JET colour map (the one the CLI's PNGs
 * use, read once as a 256-entry table) with each value's opacity following its level, so that
 * low values leave the picture visible.
 */
public final class MapColours {
    private static volatile int[] jet;

    private MapColours() {
    }

    /** The JET colour of each level 0..255, as RGB ints. */
    static int[] jet() {
        int[] t = jet;
        if (t == null) {
            float[] ramp = new float[256];
            for (int i = 0; i < 256; i++) {
                ramp[i] = i;
            }
            byte[] rgb = Heatmaps.rgb(new LayerData("ramp", 1, 1, 256, ramp), 0, Heatmaps.ColorMap.JET,
                    Heatmaps.Normalise.CHANNEL, 256, 1);
            t = new int[256];
            for (int i = 0; i < 256; i++) {
                t[i] = (rgb[3 * i] & 0xff) << 16 | (rgb[3 * i + 1] & 0xff) << 8 | rgb[3 * i + 2] & 0xff;
            }
            jet = t;
        }
        return t;
    }

    /** The level (0..255) of a value on {@code [lo, hi]}, clipped; 0 for NaN or an empty range. */
    public static int level(float v, float lo, float hi) {
        if (!(hi > lo) || Float.isNaN(v)) {
            return 0;
        }
        return Math.round(Math.max(0f, Math.min(1f, (v - lo) / (hi - lo))) * 255f);
    }

    /** ARGB pixels: JET colour of the level, alpha = the level. */
    public static int[] argb(float[] values, float lo, float hi) {
        int[] t = jet();
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            int l = level(values[i], lo, hi);
            out[i] = l << 24 | t[l];
        }
        return out;
    }
}

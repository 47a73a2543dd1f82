package org.layerlens.engine.ssd;

import java.util.List;

/**
 * SSD default boxes in center form (cx, cy, w, h), normalised to 0..1, in pytorch-ssd's order:
 * feature maps in turn, rows (y) then columns (x), and per location the small square, the
 * large square, then for each aspect ratio r the pair (w*sqrt r, h/sqrt r), (w/sqrt r, h*sqrt r).
 */
public final class Priors {
    private Priors() {
    }

    public static float[] generate(List<PriorSpec> specs, int imageSize, boolean clamp) {
        int count = count(specs);
        float[] p = new float[count * 4];
        int k = 0;
        for (PriorSpec s : specs) {
            double scale = (double) imageSize / s.shrinkage();
            for (int y = 0; y < s.featureMapSize(); y++) {
                for (int x = 0; x < s.featureMapSize(); x++) {
                    double cx = (x + 0.5) / scale;
                    double cy = (y + 0.5) / scale;
                    double small = s.minSize() / imageSize;
                    double big = Math.sqrt(s.maxSize() * s.minSize()) / imageSize;
                    k = put(p, k, cx, cy, small, small, clamp);
                    k = put(p, k, cx, cy, big, big, clamp);
                    for (int r : s.aspectRatios()) {
                        double q = Math.sqrt(r);
                        k = put(p, k, cx, cy, small * q, small / q, clamp);
                        k = put(p, k, cx, cy, small / q, small * q, clamp);
                    }
                }
            }
        }
        return p;
    }

    public static int count(List<PriorSpec> specs) {
        int n = 0;
        for (PriorSpec s : specs) {
            n += s.featureMapSize() * s.featureMapSize() * perLocation(s);
        }
        return n;
    }

    public static int perLocation(PriorSpec s) {
        return 2 + 2 * s.aspectRatios().length;
    }

    private static int put(float[] p, int k, double cx, double cy, double w, double h, boolean clamp) {
        double[] v = {cx, cy, w, h};
        for (double d : v) {
            // computed in double, rounded once to float, as torch.tensor(list) does
            float f = (float) d;
            p[k++] = clamp ? Math.max(0f, Math.min(1f, f)) : f;
        }
        return k;
    }
}

package org.layerlens.engine.ssd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Non-maximum suppression as a model's own code does it, remembering for each kept anchor the
 * candidates it suppressed (what "why not that box?" needs). Boxes are image-relative corners.
 */
public interface Nms {
    /** A candidate removed in favour of a kept one: its anchor, score and IoU with the kept box. */
    record Suppressed(int anchor, float score, double iou) {
    }

    /** A kept anchor with its class and score, and the candidates it suppressed. */
    record Pick(int anchor, int classId, float score, List<Suppressed> suppressed) {
    }

    List<Pick> select(Decoded d, double threshold, double iouThreshold, int candidateLimit);

    /** pytorch-ssd's Predictor: per class (1..), candidates above the threshold, {@code hard_nms}. */
    Nms PYTORCH_SSD = (d, threshold, iou, limit) -> {
        List<Pick> out = new ArrayList<>();
        for (int k = 1; k < d.classes(); k++) {
            List<Integer> cand = new ArrayList<>();
            for (int i = 0; i < d.anchors(); i++) {
                if (d.score(i, k) > threshold) {
                    cand.add(i);
                }
            }
            out.addAll(hard(d, k, cand, iou, limit));
        }
        return out;
    };

    /**
     * pytorch-ssd's {@code hard_nms}: candidates sorted by score (stable, descending), at most
     * {@code limit} of them; each kept box removes the later ones overlapping it by more than the
     * threshold, with IoU's 1e-5 epsilon.
     */
    static List<Pick> hard(Decoded d, int cls, List<Integer> candidates, double iouThreshold, int limit) {
        Integer[] order = candidates.toArray(new Integer[0]);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -d.score(i, cls)));
        int n = Math.min(order.length, limit);
        boolean[] removed = new boolean[n];
        List<Pick> keep = new ArrayList<>();
        float[] b = d.boxes();
        for (int a = 0; a < n; a++) {
            if (removed[a]) {
                continue;
            }
            int cur = order[a];
            List<Suppressed> sup = new ArrayList<>();
            for (int j = a + 1; j < n; j++) {
                if (removed[j]) {
                    continue;
                }
                float o = iou(b, order[j], cur);
                if (o > iouThreshold) {
                    removed[j] = true;
                    sup.add(new Suppressed(order[j], d.score(order[j], cls), o));
                }
            }
            keep.add(new Pick(cur, cls, d.score(cur, cls), List.copyOf(sup)));
        }
        return keep;
    }

    /** Intersection over union with pytorch-ssd's eps of 1e-5 in the denominator. */
    static float iou(float[] boxes, int i, int j) {
        float ix1 = Math.max(boxes[4 * i], boxes[4 * j]);
        float iy1 = Math.max(boxes[4 * i + 1], boxes[4 * j + 1]);
        float ix2 = Math.min(boxes[4 * i + 2], boxes[4 * j + 2]);
        float iy2 = Math.min(boxes[4 * i + 3], boxes[4 * j + 3]);
        float inter = Math.max(0f, ix2 - ix1) * Math.max(0f, iy2 - iy1);
        return inter / (area(boxes, i) + area(boxes, j) - inter + 1e-5f);
    }

    private static float area(float[] b, int i) {
        return Math.max(0f, b[4 * i + 2] - b[4 * i]) * Math.max(0f, b[4 * i + 3] - b[4 * i + 1]);
    }

    /** IoU of two corner boxes given as arrays of 4 (no epsilon): for queries and matching. */
    static double iou(double[] a, double[] b) {
        double iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
        double ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
        double inter = iw * ih;
        double u = Math.max(0, a[2] - a[0]) * Math.max(0, a[3] - a[1])
                + Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]) - inter;
        return u <= 0 ? 0 : inter / u;
    }
}

package org.layerlens.engine.ssd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * MediaPipe's selection after decoding: per anchor the best class that is not ignored (the first
 * on ties) and its score ({@code TensorsToDetectionsCalculator::ProcessCPU}), kept when the score
 * is at least the threshold and the box has a non-negative, non-NaN width and height
 * ({@code ConvertToDetections}); then {@code NonMaxSuppressionCalculator}'s DEFAULT algorithm over
 * all classes together: by decreasing score (equal scores in anchor order), a candidate is
 * dropped when its IoU with an already kept box exceeds the threshold, at most
 * {@code candidateLimit} kept. Rectangles are {@code (xmin, ymin, xmin + width, ymin + height)} in
 * float, as {@code Rectangle_f}; overlap as {@code OverlapSimilarity} (INTERSECTION_OVER_UNION).
 * Each kept box remembers the candidates it dropped (the first kept box that overlaps them).
 */
public record MediaPipeNms(int ignoredClass) implements Nms {

    @Override
    public List<Pick> select(Decoded d, double threshold, double iouThreshold, int candidateLimit) {
        int n = d.anchors();
        int k = d.classes();
        List<Integer> cand = new ArrayList<>();
        int[] cls = new int[n];
        float[] best = new float[n];
        float[] b = d.boxes();
        for (int i = 0; i < n; i++) {
            int c = -1;
            float max = -Float.MAX_VALUE;
            for (int j = 0; j < k; j++) {
                if (j != ignoredClass && max < d.score(i, j)) {
                    max = d.score(i, j);
                    c = j;
                }
            }
            cls[i] = c;
            best[i] = max;
            float width = b[4 * i + 2] - b[4 * i];
            float height = b[4 * i + 3] - b[4 * i + 1];
            if (c >= 0 && max >= threshold && width >= 0 && height >= 0) { // false for NaN too
                cand.add(i);
            }
        }
        Integer[] order = cand.toArray(new Integer[0]);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -best[i])); // stable: anchor order on ties
        List<float[]> rects = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        List<List<Suppressed>> dropped = new ArrayList<>();
        for (int i : order) {
            if (kept.size() >= candidateLimit) {
                break;
            }
            float[] r = rect(b, i);
            int by = -1;
            float byIou = 0;
            for (int q = 0; q < rects.size() && by < 0; q++) {
                float o = overlap(rects.get(q), r);
                if (o > iouThreshold) {
                    by = q;
                    byIou = o;
                }
            }
            if (by < 0) {
                kept.add(i);
                rects.add(r);
                dropped.add(new ArrayList<>());
            } else {
                dropped.get(by).add(new Suppressed(i, best[i], byIou));
            }
        }
        List<Pick> out = new ArrayList<>();
        for (int q = 0; q < kept.size(); q++) {
            int i = kept.get(q);
            out.add(new Pick(i, cls[i], best[i], List.copyOf(dropped.get(q))));
        }
        return out;
    }

    /** {@code Rectangle_f(xmin, ymin, width, height)}: the max corner is {@code xmin + width} in float. */
    private static float[] rect(float[] b, int i) {
        float xmin = b[4 * i];
        float ymin = b[4 * i + 1];
        float width = b[4 * i + 2] - xmin;
        float height = b[4 * i + 3] - ymin;
        return new float[] {xmin, ymin, xmin + width, ymin + height};
    }

    /** {@code OverlapSimilarity} with INTERSECTION_OVER_UNION (non_max_suppression_calculator.cc). */
    static float overlap(float[] r1, float[] r2) {
        if (empty(r1) || empty(r2) || r2[2] < r1[0] || r1[2] < r2[0] || r2[3] < r1[1] || r1[3] < r2[1]) {
            return 0f;
        }
        float ix0 = Math.max(r1[0], r2[0]);
        float iy0 = Math.max(r1[1], r2[1]);
        float ix1 = Math.min(r1[2], r2[2]);
        float iy1 = Math.min(r1[3], r2[3]);
        float inter = ix0 > ix1 || iy0 > iy1 ? 0f : (ix1 - ix0) * (iy1 - iy0);
        float norm = area(r1) + area(r2) - inter;
        return norm > 0 ? inter / norm : 0f;
    }

    private static boolean empty(float[] r) {
        return r[0] > r[2] || r[1] > r[3];
    }

    private static float area(float[] r) {
        return (r[2] - r[0]) * (r[3] - r[1]);
    }
}

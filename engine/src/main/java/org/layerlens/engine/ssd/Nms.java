package org.layerlens.engine.ssd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Hard non-maximum suppression as pytorch-ssd's {@code hard_nms}. */
public final class Nms {
    private Nms() {
    }

    /**
     * @param boxes      corner-form boxes, 4 floats each
     * @param candidates indices into {@code boxes}/{@code scores} to consider
     * @return the kept indices, best first
     */
    public static List<Integer> hard(float[] boxes, float[] scores, List<Integer> candidates,
                                     double iouThreshold, int candidateLimit) {
        Integer[] order = candidates.toArray(new Integer[0]);
        // stable descending sort, as torch.argsort(stable=True)
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -scores[i]));
        int n = Math.min(order.length, candidateLimit);
        boolean[] removed = new boolean[n];
        List<Integer> keep = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            if (removed[a]) {
                continue;
            }
            int cur = order[a];
            keep.add(cur);
            for (int b = a + 1; b < n; b++) {
                if (!removed[b] && iou(boxes, order[b], cur) > iouThreshold) {
                    removed[b] = true;
                }
            }
        }
        return keep;
    }

    /** Intersection over union with pytorch-ssd's eps of 1e-5 in the denominator. */
    public static float iou(float[] boxes, int i, int j) {
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
}

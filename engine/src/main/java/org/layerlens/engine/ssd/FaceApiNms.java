package org.layerlens.engine.ssd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * face-api's {@code SsdMobilenetv1.locateFaces} selection: one class (face), candidates with a
 * score above the threshold sorted best first (stable), greedy suppression with its own IoU
 * (corners sorted per axis, 0 for an empty box, no epsilon), at most {@code maxResults}. Clipping
 * of the kept boxes to the padded square is the output's business ({@link FaceApiDecoder}).
 */
public record FaceApiNms(int maxResults) implements Nms {

    @Override
    public List<Pick> select(Decoded d, double threshold, double iouThreshold, int candidateLimit) {
        int n = d.anchors();
        List<Integer> cand = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (d.score(i, 1) > threshold) {
                cand.add(i);
            }
        }
        Integer[] order = cand.toArray(new Integer[0]);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -d.score(i, 1)));
        int outputSize = Math.min(maxResults, n);
        List<Integer> selected = new ArrayList<>();
        List<List<Suppressed>> sup = new ArrayList<>();
        float[] b = d.boxes();
        for (int c : order) {
            if (selected.size() >= outputSize) {
                break;
            }
            int by = -1;
            double byIou = 0;
            for (int j = selected.size() - 1; j >= 0; j--) {
                double iou = iou(b, c, selected.get(j));
                if (iou != 0.0 && iou > iouThreshold) {
                    by = j;
                    byIou = iou;
                    break;
                }
            }
            if (by < 0) {
                selected.add(c);
                sup.add(new ArrayList<>());
            } else {
                sup.get(by).add(new Suppressed(c, d.score(c, 1), byIou));
            }
        }
        List<Pick> out = new ArrayList<>();
        for (int i = 0; i < selected.size(); i++) {
            out.add(new Pick(selected.get(i), 1, d.score(selected.get(i), 1), List.copyOf(sup.get(i))));
        }
        return out;
    }

    /** face-api's IOU(): corners sorted per axis, zero for an empty box. */
    static double iou(float[] b, int i, int j) {
        double xminI = Math.min(b[4 * i], b[4 * i + 2]);
        double yminI = Math.min(b[4 * i + 1], b[4 * i + 3]);
        double xmaxI = Math.max(b[4 * i], b[4 * i + 2]);
        double ymaxI = Math.max(b[4 * i + 1], b[4 * i + 3]);
        double xminJ = Math.min(b[4 * j], b[4 * j + 2]);
        double yminJ = Math.min(b[4 * j + 1], b[4 * j + 3]);
        double xmaxJ = Math.max(b[4 * j], b[4 * j + 2]);
        double ymaxJ = Math.max(b[4 * j + 1], b[4 * j + 3]);
        double areaI = (ymaxI - yminI) * (xmaxI - xminI);
        double areaJ = (ymaxJ - yminJ) * (xmaxJ - xminJ);
        if (areaI <= 0 || areaJ <= 0) {
            return 0.0;
        }
        double inter = Math.max(Math.min(ymaxI, ymaxJ) - Math.max(yminI, yminJ), 0.0)
                * Math.max(Math.min(xmaxI, xmaxJ) - Math.max(xminI, xminJ), 0.0);
        return inter / (areaI + areaJ - inter);
    }
}

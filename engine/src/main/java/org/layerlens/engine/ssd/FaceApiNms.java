package org.layerlens.engine.ssd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * face-api's {@code SsdMobilenetv1.locateFaces} post-processing: one class (face), candidates with
 * a score above the threshold sorted best first (stable), greedy suppression with its own IoU
 * (coordinates min/max-normalised, 0 for an empty box, no epsilon), at most {@code maxResults},
 * then each kept box clipped to the padded square ({@code maxX}, {@code maxY} are the square's
 * right and bottom edges in image-relative units) and scaled to pixels.
 */
public record FaceApiNms(double maxX, double maxY, int maxResults) implements SsdOutput.PostProcess {

    @Override
    public List<Detection> detections(SsdOutput o, double threshold, double iouThreshold, int candidateLimit,
                                      List<String> labels) {
        float[] b = o.boxes();
        int n = o.priors();
        float[] score = new float[n];
        List<Integer> cand = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            score[i] = o.scores()[i * o.classes() + 1];
            if (score[i] > threshold) {
                cand.add(i);
            }
        }
        Integer[] order = cand.toArray(new Integer[0]);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -score[i]));
        int outputSize = Math.min(maxResults, n);
        List<Integer> selected = new ArrayList<>();
        for (int c : order) {
            if (selected.size() >= outputSize) {
                break;
            }
            boolean keep = true;
            for (int j = selected.size() - 1; j >= 0; j--) {
                double iou = iou(b, c, selected.get(j));
                if (iou != 0.0 && iou > iouThreshold) {
                    keep = false;
                    break;
                }
            }
            if (keep) {
                selected.add(c);
            }
        }
        String label = labels != null && labels.size() > 1 ? labels.get(1) : "face";
        List<Detection> out = new ArrayList<>();
        int w = o.imageWidth();
        int h = o.imageHeight();
        for (int i : selected) {
            double x1 = Math.max(0, b[4 * i]);
            double y1 = Math.max(0, b[4 * i + 1]);
            double x2 = Math.min(maxX, b[4 * i + 2]);
            double y2 = Math.min(maxY, b[4 * i + 3]);
            out.add(new Detection(1, label, score[i], (float) (x1 * w), (float) (y1 * h), (float) (x2 * w), (float) (y2 * h)));
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

package org.layerlens.engine.ssd;

import java.util.ArrayList;
import java.util.List;

/**
 * The model's outputs as plain arrays: softmax scores [priors, classes] and corner-form boxes
 * [priors, 4] normalised to 0..1 (pytorch-ssd's {@code SSD(is_test=True)} outputs), plus the
 * original image size. Detections can be re-filtered from it without re-running the network.
 */
public record SsdOutput(float[] scores, float[] boxes, int priors, int classes, int imageWidth, int imageHeight) {

    /** Per-class hard NMS over classes 1.., as pytorch-ssd's Predictor; boxes in pixels. */
    public List<Detection> detections(double threshold, double iouThreshold, int candidateLimit, List<String> labels) {
        List<Detection> out = new ArrayList<>();
        for (int k = 1; k < classes; k++) {
            List<Integer> cand = new ArrayList<>();
            for (int i = 0; i < priors; i++) {
                if (scores[i * classes + k] > threshold) {
                    cand.add(i);
                }
            }
            if (cand.isEmpty()) {
                continue;
            }
            float[] s = new float[priors];
            for (int i : cand) {
                s[i] = scores[i * classes + k];
            }
            String label = labels != null && k < labels.size() ? labels.get(k) : Integer.toString(k);
            for (int i : Nms.hard(boxes, s, cand, iouThreshold, candidateLimit)) {
                out.add(new Detection(k, label, s[i], boxes[4 * i] * imageWidth, boxes[4 * i + 1] * imageHeight,
                        boxes[4 * i + 2] * imageWidth, boxes[4 * i + 3] * imageHeight));
            }
        }
        return out;
    }
}

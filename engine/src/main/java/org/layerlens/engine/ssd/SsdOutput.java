package org.layerlens.engine.ssd;

import java.util.ArrayList;
import java.util.List;

/**
 * The model's outputs as plain arrays: scores [priors, classes] and corner-form boxes (x1, y1, x2,
 * y2) [priors, 4] relative to the original image (pytorch-ssd's {@code SSD(is_test=True)}
 * outputs: softmax scores, boxes in 0..1), the original image size, and the model's own
 * post-processing. Detections can be re-filtered from it without re-running the network.
 */
public record SsdOutput(float[] scores, float[] boxes, int priors, int classes, int imageWidth, int imageHeight,
                        PostProcess post) {

    /** How a model turns its outputs into detections (NMS, clipping), as the model defines it. */
    public interface PostProcess {
        List<Detection> detections(SsdOutput o, double threshold, double iouThreshold, int candidateLimit,
                                   List<String> labels);
    }

    /** pytorch-ssd's Predictor: per-class hard NMS, boxes as decoded. */
    public static final PostProcess PYTORCH_SSD = SsdOutput::perClassHardNms;

    public SsdOutput(float[] scores, float[] boxes, int priors, int classes, int imageWidth, int imageHeight) {
        this(scores, boxes, priors, classes, imageWidth, imageHeight, PYTORCH_SSD);
    }

    /** Detections in pixels of the original image, best first within each class. */
    public List<Detection> detections(double threshold, double iouThreshold, int candidateLimit, List<String> labels) {
        return post.detections(this, threshold, iouThreshold, candidateLimit, labels);
    }

    /** Per-class hard NMS over classes 1.., as pytorch-ssd's Predictor; boxes in pixels. */
    private static List<Detection> perClassHardNms(SsdOutput o, double threshold, double iouThreshold,
                                                   int candidateLimit, List<String> labels) {
        float[] scores = o.scores;
        float[] boxes = o.boxes;
        int classes = o.classes;
        int priors = o.priors;
        int imageWidth = o.imageWidth;
        int imageHeight = o.imageHeight;
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

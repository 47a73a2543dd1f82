package org.layerlens.engine.ssd;

import java.util.Map;

/**
 * MediaPipe's {@code TensorsToDetectionsCalculator} decoding (tensors_to_detections_calculator.cc,
 * {@code DecodeBoxes} and the sigmoid of {@code ProcessCPU}) for TF Object Detection SSDs: raw boxes
 * {@code [y_center, x_center, h, w]} around anchors {@code [y_center, x_center, h, w]} with scales
 * 10, 10, 5, 5 and exponential sizes; every class logit through a sigmoid. Float32 after each
 * operation, as the C++ computes. The scores keep all classes (column 0 is the background, which
 * the selection ignores: {@link MediaPipeNms}).
 */
public record MediaPipeDecoder(float[] anchors, float yScale, float xScale, float hScale, float wScale)
        implements Decoder {
    @Override
    public Decoded decode(Map<String, float[]> raw, HeadLayout layout) {
        int heads = layout.heads().size();
        float[] enc = Decoder.concat(raw, "reg", heads);
        float[] logits = Decoder.concat(raw, "cls", heads);
        int n = layout.anchors();
        if (anchors.length != 4 * n || enc.length != 4 * n) {
            throw new IllegalStateException("heads give " + enc.length / 4 + " boxes, MediaPipe's anchors "
                    + anchors.length / 4);
        }
        int classes = logits.length / n;
        float[] boxes = new float[4 * n];
        float[] priors = new float[4 * n];
        for (int i = 0; i < n; i++) {
            float ay = anchors[4 * i];
            float ax = anchors[4 * i + 1];
            float ah = anchors[4 * i + 2];
            float aw = anchors[4 * i + 3];
            float xCenter = enc[4 * i + 1] / xScale * aw + ax;
            float yCenter = enc[4 * i] / yScale * ah + ay;
            float h = (float) Math.exp(enc[4 * i + 2] / hScale) * ah;
            float w = (float) Math.exp(enc[4 * i + 3] / wScale) * aw;
            boxes[4 * i] = xCenter - w / 2.f;
            boxes[4 * i + 1] = yCenter - h / 2.f;
            boxes[4 * i + 2] = xCenter + w / 2.f;
            boxes[4 * i + 3] = yCenter + h / 2.f;
            priors[4 * i] = ax - aw / 2.f;
            priors[4 * i + 1] = ay - ah / 2.f;
            priors[4 * i + 2] = ax + aw / 2.f;
            priors[4 * i + 3] = ay + ah / 2.f;
        }
        float[] scores = new float[logits.length];
        for (int k = 0; k < logits.length; k++) {
            scores[k] = 1.0f / (1.0f + (float) Math.exp(-logits[k]));
        }
        return new Decoded(scores, classes, enc, boxes, priors);
    }
}

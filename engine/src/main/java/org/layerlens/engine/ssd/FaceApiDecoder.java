package org.layerlens.engine.ssd;

import java.util.Map;

/**
 * face-api's outputLayer: anchors (ymin, xmin, ymax, xmax) relative to the padded square and
 * encodings (ty, tx, th, tw) -> boxes with TensorFlow's box coder scales 10, 10, 5, 5; score =
 * sigmoid of the second of three logits; float32 after each step as TF.js's kernels store them.
 * Boxes are then made relative to the original image by the pad factors (the square's right and
 * bottom edges in image-relative units), as face-api does before its NMS.
 */
public record FaceApiDecoder(float[] anchors, double padX, double padY) implements Decoder {
    @Override
    public Decoded decode(Map<String, float[]> raw, HeadLayout layout) {
        int heads = layout.heads().size();
        float[] enc = Decoder.concat(raw, "reg", heads);
        float[] logits = Decoder.concat(raw, "cls", heads);
        int n = layout.anchors();
        if (anchors.length != 4 * n) {
            throw new IllegalStateException("heads give " + n + " anchors, the file " + anchors.length / 4);
        }
        float[] scores = new float[n * 2];
        float[] boxes = new float[n * 4];
        float[] priors = new float[n * 4];
        for (int j = 0; j < n; j++) {
            float[] a = anchors;
            float h = a[4 * j + 2] - a[4 * j];
            float w = a[4 * j + 3] - a[4 * j + 1];
            float cy = a[4 * j] + h / 2f;
            float cx = a[4 * j + 1] + w / 2f;
            float halfH = f(f(f(Math.exp(f(enc[4 * j + 2] / 5.0))) * h) / 2.0);
            float centerY = f(f(f(enc[4 * j] / 10.0) * h) + cy);
            float halfW = f(f(f(Math.exp(f(enc[4 * j + 3] / 5.0))) * w) / 2.0);
            float centerX = f(f(f(enc[4 * j + 1] / 10.0) * w) + cx);
            boxes[4 * j] = (float) ((centerX - halfW) * padX);
            boxes[4 * j + 1] = (float) ((centerY - halfH) * padY);
            boxes[4 * j + 2] = (float) ((centerX + halfW) * padX);
            boxes[4 * j + 3] = (float) ((centerY + halfH) * padY);
            priors[4 * j] = (float) (a[4 * j + 1] * padX);
            priors[4 * j + 1] = (float) (a[4 * j] * padY);
            priors[4 * j + 2] = (float) (a[4 * j + 3] * padX);
            priors[4 * j + 3] = (float) (a[4 * j + 2] * padY);
            float s = f(1.0 / (1.0 + Math.exp(-logits[3 * j + 1])));
            scores[2 * j] = 1f - s;
            scores[2 * j + 1] = s;
        }
        return new Decoded(scores, 2, enc, boxes, priors);
    }

    private static float f(double v) {
        return (float) v;
    }
}

package org.layerlens.engine.ssd;

import java.util.Map;

/**
 * pytorch-ssd's {@code SSD(is_test=True)}: softmax over each anchor's class logits; boxes from
 * center-form priors with {@code center = loc[:2] * centerVariance * prior.wh + prior.xy},
 * {@code size = exp(loc[2:] * sizeVariance) * prior.wh}, then corners. Float32 arithmetic after
 * each step, as PyTorch's float tensors.
 */
public record PytorchSsdDecoder(float[] centerPriors, double centerVariance, double sizeVariance) implements Decoder {
    @Override
    public Decoded decode(Map<String, float[]> raw, HeadLayout layout) {
        int heads = layout.heads().size();
        float[] logits = Decoder.concat(raw, "cls", heads);
        float[] loc = Decoder.concat(raw, "reg", heads);
        int n = layout.anchors();
        if (loc.length != 4 * n || centerPriors.length != 4 * n) {
            throw new IllegalStateException("heads give " + loc.length / 4 + " anchors, priors " + centerPriors.length / 4);
        }
        int k = logits.length / n;
        float[] scores = softmax(logits, n, k);
        float[] boxes = new float[4 * n];
        float[] priors = new float[4 * n];
        float cv = (float) centerVariance;
        float sv = (float) sizeVariance;
        for (int i = 0; i < n; i++) {
            float px = centerPriors[4 * i];
            float py = centerPriors[4 * i + 1];
            float pw = centerPriors[4 * i + 2];
            float ph = centerPriors[4 * i + 3];
            float cx = loc[4 * i] * cv * pw + px;
            float cy = loc[4 * i + 1] * cv * ph + py;
            float w = (float) Math.exp(loc[4 * i + 2] * sv) * pw;
            float h = (float) Math.exp(loc[4 * i + 3] * sv) * ph;
            boxes[4 * i] = cx - w / 2;
            boxes[4 * i + 1] = cy - h / 2;
            boxes[4 * i + 2] = cx + w / 2;
            boxes[4 * i + 3] = cy + h / 2;
            priors[4 * i] = px - pw / 2;
            priors[4 * i + 1] = py - ph / 2;
            priors[4 * i + 2] = px + pw / 2;
            priors[4 * i + 3] = py + ph / 2;
        }
        return new Decoded(scores, k, loc, boxes, priors);
    }

    /** Row-wise softmax with the maximum subtracted, in double, stored as float. */
    static float[] softmax(float[] logits, int rows, int k) {
        float[] out = new float[logits.length];
        double[] e = new double[k]; // one row's exponentials (an array per row was 14% of a bench pass's Java garbage)
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, logits[r * k + c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                e[c] = Math.exp(logits[r * k + c] - max);
                sum += e[c];
            }
            for (int c = 0; c < k; c++) {
                out[r * k + c] = (float) (e[c] / sum);
            }
        }
        return out;
    }
}

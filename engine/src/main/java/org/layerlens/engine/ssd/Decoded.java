package org.layerlens.engine.ssd;

/**
 * A detector's outputs decoded, per anchor: class scores ({@code [N, classes]}, what the model's
 * own code turns its logits into), the raw regression offsets ({@code [N, 4]}, in the order the
 * model writes them), the decoded boxes and the priors, both corner form (x1, y1, x2, y2) relative
 * to the network input (0..1; pixels of the original image are the input transform's business).
 */
public record Decoded(float[] scores, int classes, float[] offsets, float[] boxes, float[] priors) {
    public int anchors() {
        return boxes.length / 4;
    }

    public float score(int anchor, int cls) {
        return scores[anchor * classes + cls];
    }
}

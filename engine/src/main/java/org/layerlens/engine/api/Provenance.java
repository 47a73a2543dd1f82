package org.layerlens.engine.api;

import java.util.List;

/**
 * Where a detection came from, computed from the pass that produced it: the head (source index,
 * 0-based), that head's feature map size {@code rows x cols}, the cell and the anchor within it,
 * the prior's index in the model's raw output order (the row of {@code dump --layer scores,boxes}),
 * the prior box, the raw regression offsets, the decoded box before clipping, every class's score
 * at that anchor, the receptive field of the cell in image pixels, and the candidates that NMS
 * suppressed in its favour. Boxes are in pixels of the original image.
 */
public record Provenance(int head, int rows, int cols, int row, int col, int anchor, int priorIndex, Box prior,
                         float[] offsets, Box decoded, float[] classScores, Box receptiveField,
                         List<Suppressed> suppressed) {
    /** A candidate NMS removed in favour of this detection. */
    public record Suppressed(int priorIndex, float score, Box box, double iou) {
    }
}

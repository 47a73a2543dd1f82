package org.layerlens.engine.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.layerlens.engine.ssd.Decoded;
import org.layerlens.engine.ssd.MediaPipeNms;
import org.layerlens.engine.ssd.Nms;

/**
 * MediaPipe's selection on hand-made boxes: the background column never wins, the score
 * threshold is inclusive, boxes with a negative width are dropped, suppression ignores the class,
 * equal scores keep anchor order, each kept box remembers whom it suppressed, and at most
 * {@code candidateLimit} boxes are kept.
 */
class MediaPipeNmsTest {
    static final float[] BOXES = {
        0.00f, 0.00f, 0.50f, 0.50f,   // 0: class 1 at 0.9 (the background's 0.99 does not count)
        0.01f, 0.00f, 0.50f, 0.50f,   // 1: class 2 at 0.95, overlaps 0
        0.60f, 0.60f, 0.90f, 0.90f,   // 2: class 1 at exactly 0.5
        0.00f, 0.60f, 0.30f, 0.90f,   // 3: class 1 at 0.4999: below the threshold
        0.80f, 0.00f, 0.70f, 0.20f,   // 4: negative width: dropped
        0.61f, 0.60f, 0.90f, 0.90f,   // 5: class 1 at 0.5 too, overlaps 2: 2 comes first (anchor order)
    };
    static final float[] SCORES = {
        0.99f, 0.90f, 0.10f,
        0.10f, 0.20f, 0.95f,
        0.00f, 0.50f, 0.40f,
        0.00f, 0.4999f, 0.10f,
        0.00f, 0.80f, 0.10f,
        0.00f, 0.50f, 0.10f,
    };

    static Decoded decoded() {
        return new Decoded(SCORES, 3, new float[BOXES.length], BOXES, BOXES);
    }

    @Test
    void selectsAsMediaPipeDoes() {
        List<Nms.Pick> picks = new MediaPipeNms(0).select(decoded(), 0.5, 0.5, 100);
        assertEquals(2, picks.size(), picks.toString());
        Nms.Pick first = picks.get(0);
        assertEquals(1, first.anchor());
        assertEquals(2, first.classId());
        assertEquals(0.95f, first.score());
        assertEquals(1, first.suppressed().size());
        assertEquals(0, first.suppressed().get(0).anchor());
        // IoU of [0.01, 0, 0.5, 0.5] and [0, 0, 0.5, 0.5] in float: 0.245 / 0.25
        float inter = (0.50f - 0.01f) * (0.50f - 0.00f);
        float union = (0.50f - 0.01f) * 0.5f + 0.5f * 0.5f - inter;
        assertEquals(inter / union, first.suppressed().get(0).iou(), 0.0);
        Nms.Pick second = picks.get(1);
        assertEquals(2, second.anchor());
        assertEquals(1, second.classId());
        assertEquals(List.of(5), second.suppressed().stream().map(Nms.Suppressed::anchor).toList());
    }

    @Test
    void keepsAtMostTheLimit() {
        List<Nms.Pick> picks = new MediaPipeNms(0).select(decoded(), 0.5, 0.5, 1);
        assertEquals(1, picks.size());
        assertEquals(1, picks.get(0).anchor());
    }

    @Test
    void aLowerThresholdAdmitsMore() {
        List<Nms.Pick> picks = new MediaPipeNms(0).select(decoded(), 0.4, 0.5, 100);
        assertEquals(List.of(1, 2, 3), picks.stream().map(Nms.Pick::anchor).toList());
    }
}

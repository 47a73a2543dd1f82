package org.layerlens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.layerlens.engine.arch.PytorchSsd;
import org.layerlens.engine.ssd.Decoded;
import org.layerlens.engine.ssd.HeadLayout;
import org.layerlens.engine.ssd.PytorchSsdDecoder;
import org.layerlens.engine.ssd.Nms;
import org.layerlens.engine.ssd.Priors;
import java.util.Map;

class PostProcessTest {
    @Test
    void priorsCountFirstAndLast() {
        float[] p = Priors.generate(PytorchSsd.mobilenetPriors(), 300, true);
        assertEquals(3000 * 4, p.length);
        // first: 19x19 map, cell (0,0), small square 60/300
        float c = (float) (0.5 / (300.0 / 16));
        assertArrayEquals(new float[] {c, c, 0.2f, 0.2f}, new float[] {p[0], p[1], p[2], p[3]}, 1e-7f);
        // second: large square sqrt(60*105)/300
        assertEquals((float) (Math.sqrt(60 * 105) / 300), p[6], 1e-7f);
        // last: 1x1 map, ratio 3, (w / sqrt3, h * sqrt3) with h clamped to 1
        float w = (float) (285.0 / 300 / Math.sqrt(3));
        assertArrayEquals(new float[] {0.5f, 0.5f, w, 1f},
                new float[] {p[11996], p[11997], p[11998], p[11999]}, 1e-7f);
    }

    /** Decodes raw offsets for priors given in center form through pytorch-ssd's decoder. */
    private static Decoded decode(float[] centerPriors, float[] loc, float[] logits) {
        int n = loc.length / 4;
        HeadLayout layout = new HeadLayout(List.of(new HeadLayout.Head(0, 1, n, 1, 0)));
        return new PytorchSsdDecoder(centerPriors, 0.1, 0.2).decode(Map.of("cls.0", logits, "reg.0", loc), layout);
    }

    @Test
    void zeroRegressionDecodesToThePriorItself() {
        float[] priors = {0.5f, 0.5f, 0.2f, 0.4f, 0.1f, 0.2f, 0.1f, 0.1f};
        float[] loc = {0, 0, 0, 0, 1, -1, 0, 0};
        float[] b = decode(priors, loc, new float[4]).boxes();
        assertArrayEquals(new float[] {0.4f, 0.3f, 0.6f, 0.7f}, new float[] {b[0], b[1], b[2], b[3]}, 1e-6f);
        // dx=1 moves the center by 0.1 * w = 0.01, dy=-1 by -0.1 * h = -0.01
        assertArrayEquals(new float[] {0.06f, 0.14f, 0.16f, 0.24f}, new float[] {b[4], b[5], b[6], b[7]}, 1e-6f);
    }

    @Test
    void sizeRegressionIsExponentialAndScoresAreSoftmax() {
        Decoded d = decode(new float[] {0.5f, 0.5f, 0.2f, 0.2f}, new float[] {0, 0, 5, 0}, new float[] {0, (float) Math.log(3)});
        float w = (float) (Math.exp(1.0) * 0.2);
        assertEquals(0.5f - w / 2, d.boxes()[0], 1e-6f);
        assertEquals(0.5f + w / 2, d.boxes()[2], 1e-6f);
        assertEquals(0.25f, d.scores()[0], 1e-6f);
        assertEquals(0.75f, d.scores()[1], 1e-6f);
    }

    /** Boxes and scores for NMS tests: one class besides background. */
    private static Decoded scored(float[] boxes, float[] classScores) {
        int n = classScores.length;
        float[] s = new float[2 * n];
        for (int i = 0; i < n; i++) {
            s[2 * i] = 1 - classScores[i];
            s[2 * i + 1] = classScores[i];
        }
        return new Decoded(s, 2, new float[4 * n], boxes, boxes);
    }

    @Test
    void nmsKeepsTheBestOfOverlappingBoxesAndRemembersWhatItSuppressed() {
        float[] boxes = {
            0, 0, 10, 10,      // 0: best
            1, 1, 10, 10,      // 1: IoU 0.81 with 0 -> suppressed
            20, 20, 30, 30,    // 2: separate
            0, 5, 10, 15,      // 3: IoU 1/3 with 0 -> kept at 0.45
        };
        Decoded d = scored(boxes, new float[] {0.9f, 0.8f, 0.3f, 0.7f});
        List<Nms.Pick> keep = Nms.hard(d, 1, List.of(0, 1, 2, 3), 0.45, 200);
        assertEquals(List.of(0, 3, 2), keep.stream().map(Nms.Pick::anchor).toList());
        assertEquals(1, keep.get(0).suppressed().size());
        assertEquals(1, keep.get(0).suppressed().get(0).anchor());
        assertEquals(0.81, keep.get(0).suppressed().get(0).iou(), 1e-3);
        // a stricter IoU threshold also removes box 3
        assertEquals(List.of(0, 2), Nms.hard(d, 1, List.of(0, 1, 2, 3), 0.3, 200).stream().map(Nms.Pick::anchor).toList());
        // candidate limit keeps only the best k before suppression
        assertEquals(List.of(0), Nms.hard(d, 1, List.of(0, 1, 2, 3), 0.45, 2).stream().map(Nms.Pick::anchor).toList());
    }

    @Test
    void detectionsArePerClassAboveThreshold() {
        // 3 anchors, 3 classes (background, a, b); boxes image-relative
        float[] scores = {
            0.1f, 0.8f, 0.1f,
            0.2f, 0.7f, 0.1f,
            0.3f, 0.1f, 0.6f,
        };
        float[] boxes = {0, 0, 0.5f, 0.5f, 0.01f, 0.01f, 0.5f, 0.5f, 0.5f, 0.5f, 1, 1};
        List<Nms.Pick> p = Nms.PYTORCH_SSD.select(new Decoded(scores, 3, new float[12], boxes, boxes), 0.5, 0.45, 200);
        assertEquals(2, p.size());
        assertEquals(1, p.get(0).classId());
        assertEquals(0.8f, p.get(0).score());
        assertEquals(2, p.get(1).classId());
        assertEquals(1, Nms.PYTORCH_SSD.select(new Decoded(scores, 3, new float[12], boxes, boxes), 0.65, 0.45, 200).size());
    }
}

package org.layerlens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.layerlens.engine.nn.Architectures;
import org.layerlens.engine.ssd.BoxCodec;
import org.layerlens.engine.ssd.Detection;
import org.layerlens.engine.ssd.Nms;
import org.layerlens.engine.ssd.Priors;
import org.layerlens.engine.ssd.SsdOutput;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PostProcessTest {
    @Test
    void priorsCountFirstAndLast() {
        float[] p = Priors.generate(Architectures.mobilenetSpecs(), 300, true);
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

    @Test
    void zeroRegressionDecodesToThePriorItself() {
        INDArray priors = Nd4j.create(new float[] {0.5f, 0.5f, 0.2f, 0.4f, 0.1f, 0.2f, 0.1f, 0.1f}, new long[] {2, 4}, 'c');
        INDArray loc = Nd4j.create(new float[] {0, 0, 0, 0, 1, -1, 0, 0}, new long[] {2, 4}, 'c');
        float[] b = new BoxCodec(0.1, 0.2).decode(loc, priors).dup('c').data().asFloat();
        assertArrayEquals(new float[] {0.4f, 0.3f, 0.6f, 0.7f}, new float[] {b[0], b[1], b[2], b[3]}, 1e-6f);
        // dx=1 moves the center by 0.1 * w = 0.01, dy=-1 by -0.1 * h = -0.01
        assertArrayEquals(new float[] {0.06f, 0.14f, 0.16f, 0.24f}, new float[] {b[4], b[5], b[6], b[7]}, 1e-6f);
    }

    @Test
    void sizeRegressionIsExponential() {
        INDArray priors = Nd4j.create(new float[] {0.5f, 0.5f, 0.2f, 0.2f}, new long[] {1, 4}, 'c');
        INDArray loc = Nd4j.create(new float[] {0, 0, 5, 0}, new long[] {1, 4}, 'c');
        float[] b = new BoxCodec(0.1, 0.2).decode(loc, priors).dup('c').data().asFloat();
        float w = (float) (Math.exp(1.0) * 0.2);
        assertEquals(0.5f - w / 2, b[0], 1e-6f);
        assertEquals(0.5f + w / 2, b[2], 1e-6f);
    }

    @Test
    void nmsKeepsTheBestOfOverlappingBoxesAndSeparateOnes() {
        float[] boxes = {
            0, 0, 10, 10,      // 0: best
            1, 1, 10, 10,      // 1: IoU 0.81 with 0 -> suppressed
            20, 20, 30, 30,    // 2: separate
            0, 5, 10, 15,      // 3: IoU 1/3 with 0 -> kept at 0.45
        };
        float[] scores = {0.9f, 0.8f, 0.3f, 0.7f};
        List<Integer> keep = Nms.hard(boxes, scores, List.of(0, 1, 2, 3), 0.45, 200);
        assertEquals(List.of(0, 3, 2), keep);
        // a stricter IoU threshold also removes box 3
        assertEquals(List.of(0, 2), Nms.hard(boxes, scores, List.of(0, 1, 2, 3), 0.3, 200));
        // candidate limit keeps only the best k before suppression
        assertEquals(List.of(0), Nms.hard(boxes, scores, List.of(0, 1, 2, 3), 0.45, 2));
    }

    @Test
    void detectionsArePerClassAboveThresholdInPixels() {
        // 3 priors, 3 classes (background, a, b); boxes normalised
        float[] scores = {
            0.1f, 0.8f, 0.1f,
            0.2f, 0.7f, 0.1f,
            0.3f, 0.1f, 0.6f,
        };
        float[] boxes = {0, 0, 0.5f, 0.5f, 0.01f, 0.01f, 0.5f, 0.5f, 0.5f, 0.5f, 1, 1};
        SsdOutput out = new SsdOutput(scores, boxes, 3, 3, 200, 100);
        List<Detection> d = out.detections(0.5, 0.45, 200, List.of("BACKGROUND", "a", "b"));
        assertEquals(2, d.size());
        assertEquals("a", d.get(0).label());
        assertEquals(0.8f, d.get(0).score());
        assertEquals(100f, d.get(0).x2());
        assertEquals(50f, d.get(0).y2());
        assertEquals("b", d.get(1).label());
        assertEquals(200f, d.get(1).x2());
        assertEquals(1, out.detections(0.65, 0.45, 200, null).size());
    }
}

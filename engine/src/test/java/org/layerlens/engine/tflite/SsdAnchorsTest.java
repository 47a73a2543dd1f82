package org.layerlens.engine.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.layerlens.engine.TestData;
import org.layerlens.engine.arch.TfObjectDetection;
import org.layerlens.engine.io.Npy;
import org.layerlens.engine.ssd.SsdAnchors;

/**
 * objects-v2's anchors (MediaPipe's SsdAnchorsCalculator with the OIDv4 subgraph's options) against
 * the reference's port (reference/objects_v2/refs/anchors.npy, postprocess.ssd_anchors), and the
 * values SETTINGS.md quotes.
 */
class SsdAnchorsTest {
    @Test
    void theAnchorsAreMediaPipes() throws Exception {
        float[] ours = TfObjectDetection.anchors();
        Npy.Array ref = Npy.read(TestData.repoFile("reference/objects_v2/refs/anchors.npy"));
        assertArrayEquals(new long[] {1917, 4}, ref.shape());
        assertEquals(ref.data().length, ours.length);
        double worst = 0;
        for (int i = 0; i < ours.length; i++) {
            worst = Math.max(worst, Math.abs(ours[i] - ref.data()[i]));
        }
        System.out.println("objects-v2 anchors: 1917, worst difference from the reference " + worst);
        assertTrue(worst <= 1e-7, "anchors differ by " + worst);
        assertArrayEquals(new float[] {0.02631579f, 0.02631579f, 0.1f, 0.1f}, Arrays.copyOfRange(ours, 0, 4), 1e-7f);
        assertArrayEquals(new float[] {0.02631579f, 0.02631579f, 0.14142136f, 0.28284273f},
                Arrays.copyOfRange(ours, 4, 8), 1e-7f);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.9746794f, 0.9746794f},
                Arrays.copyOfRange(ours, ours.length - 4, ours.length), 1e-7f);
    }

    @Test
    void theLayoutIsNineteenToOne() {
        assertEquals("[[19, 19, 3], [10, 10, 6], [5, 5, 6], [3, 3, 6], [2, 2, 6], [1, 1, 6]]",
                Arrays.deepToString(SsdAnchors.grid(TfObjectDetection.ANCHORS)));
        assertEquals(1917 * 4, SsdAnchors.generate(TfObjectDetection.ANCHORS).length);
    }
}

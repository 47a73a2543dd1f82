package org.layerlens.engine.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.layerlens.engine.TestData;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.image.MediaPipeStretch;
import org.layerlens.engine.io.Json;
import org.layerlens.engine.io.Npy;

/**
 * objects-v2's preprocessing against OpenCV itself: cv2.warpPerspective set up as MediaPipe's
 * ImageToTensorCalculator does (tflite/warp, made by make_tflite_cases.py) on random images of
 * 1x1 to 9x300 pixels and on sample photos, to several output sizes including 300x300. The
 * warped bytes are integers and must be equal; then the value step, one rounding of v * 2/255 - 1.
 * (On the real photos the whole 300x300x3 float input is compared with MediaPipe's by
 * ObjectsV2ParityTest when .ci/run's full references are there.)
 */
class MediaPipeStretchTest {
    @Test
    void theWarpIsOpenCvsBitForBit() throws Exception {
        Path dir = TestData.resource("tflite/warp/warps.json").getParent();
        List<?> cases = (List<?>) Json.parse(Files.readString(dir.resolve("warps.json")));
        for (Object o : cases) {
            Map<?, ?> c = (Map<?, ?>) o;
            String src = (String) c.get("source");
            LoadedImage img = src.startsWith("sample-images/")
                    ? Images.read(TestData.sampleImage(src.substring("sample-images/".length())))
                    : image(Npy.read(dir.getParent().resolve(src)));
            Npy.Array want = Npy.read(dir.getParent().resolve((String) c.get("warped")));
            int h = (int) want.shape()[0];
            int w = (int) want.shape()[1];
            byte[] got = w == h ? new MediaPipeStretch(w).warp(img) : MediaPipeStretch.warp(img, w, h);
            int same = 0;
            for (int i = 0; i < got.length; i++) {
                assertEquals((int) want.data()[i], got[i] & 0xff, src + " -> " + w + "x" + h + " at " + i);
                same++;
            }
            System.out.printf("warp %s (%dx%d) -> %dx%d: %d bytes equal to cv2.warpPerspective%n", src, img.width(),
                    img.height(), w, h, same);
        }
        assertTrue(cases.size() >= 7);
    }

    static LoadedImage image(Npy.Array a) {
        int h = (int) a.shape()[0];
        int w = (int) a.shape()[1];
        byte[] rgb = new byte[h * w * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (int) a.data()[i];
        }
        return new LoadedImage(null, w, h, rgb);
    }

    @Test
    void theValueStepRoundsOnce() {
        // a 16x16 picture warped onto 16x16 is itself (X = 32 x + 0.5, no fraction): all 256 byte values
        byte[] rgb = new byte[16 * 16 * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (i / 3);
        }
        float[] v = new MediaPipeStretch(16).apply(new LoadedImage(null, 16, 16, rgb));
        BigDecimal scale = new BigDecimal(2f / 255f); // (1 - -1) / (255 - 0) in float
        for (int b = 0; b < 256; b++) {
            // the exact b * scale - 1, rounded once to float (parseFloat rounds correctly)
            float once = Float.parseFloat(new BigDecimal(b).multiply(scale).subtract(BigDecimal.ONE).toString());
            assertEquals(once, v[3 * b], 0f, "byte " + b);
        }
        assertEquals(-1f, v[0], 0f);
        assertEquals(1.0000001f, v[3 * 255], 0f); // 2f/255f is a little more than 2/255
    }
}

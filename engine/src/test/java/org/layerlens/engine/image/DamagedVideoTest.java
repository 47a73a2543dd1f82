package org.layerlens.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.videoio.VideoWriter;

/**
 * A Motion-JPEG .avi cut short (an interrupted recording) is told so, not that it is "not a video
 * OpenCV can read here; it reads Motion-JPEG in .avi", which it is.
 */
class DamagedVideoTest {
    @Test
    void anAviCutShortIsToldDamagedNotUnreadable(@TempDir Path dir) throws Exception {
        OpenCv.load();
        Path whole = dir.resolve("clip.avi");
        VideoWriter w = new VideoWriter(whole.toString(), VideoWriter.fourcc('M', 'J', 'P', 'G'), 10, new Size(64, 48));
        Mat frame = new Mat(48, 64, CvType.CV_8UC3, new Scalar(40, 120, 200));
        for (int i = 0; i < 10; i++) {
            w.write(frame);
        }
        w.release();
        frame.release();
        try (Video v = Video.open(whole)) {
            assertTrue(v.frameCount() > 0, "the whole clip opens");
        }
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.avi"), Arrays.copyOf(bytes, bytes.length / 2));
        IOException e = assertThrows(IOException.class, () -> Video.open(cut));
        assertEquals(cut + ": an .avi OpenCV could not open: damaged or cut short? (it reads " + Video.READABLE + ")",
                e.getMessage());
    }
}

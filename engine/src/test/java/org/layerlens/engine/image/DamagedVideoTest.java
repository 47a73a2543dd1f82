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
import org.layerlens.engine.TestData;
import org.layerlens.engine.TestImages;

/**
 * A Motion-JPEG .avi cut short before its first frame (an interrupted recording) is told so, not
 * that it is "not a video OpenCV can read here; it reads Motion-JPEG in .avi", which it is. (Cut
 * after some frames, it plays them: MjpegAviTest.)
 */
class DamagedVideoTest {
    @Test
    void anAviCutShortBeforeItsFirstFrameIsToldSo(@TempDir Path dir) throws Exception {
        Path whole = TestImages.video(dir.resolve("clip.avi"), TestData.sampleImage("coffee.png"), 10, 10);
        try (Video v = Video.open(whole)) {
            assertTrue(v.frameCount() > 0, "the whole clip opens");
        }
        byte[] bytes = Files.readAllBytes(whole);
        for (int length : new int[] {300, 12}) { // in its headers; right after "RIFF", a size, "AVI "
            Path cut = Files.write(dir.resolve("cut" + length + ".avi"), Arrays.copyOf(bytes, length));
            IOException e = assertThrows(IOException.class, () -> Video.open(cut));
            assertEquals(cut + ": an .avi cut short before its first frame", e.getMessage());
        }
    }
}

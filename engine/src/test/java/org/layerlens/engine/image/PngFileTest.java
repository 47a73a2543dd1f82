package org.layerlens.engine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.layerlens.engine.TestData;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * PNGs with an embedded colour profile are read without it (libpng's "iCCP: known incorrect sRGB
 * profile" on stderr, twice per read, came from scikit-image's astronaut and chelsea, written by
 * other programs than ours), and decode to exactly the pixels OpenCV reads from the file itself:
 * integers from one decoder on one compressed stream, so compared exactly.
 */
class PngFileTest {
    @ParameterizedTest
    @ValueSource(strings = {"astronaut.png", "chelsea.png"})
    void aColourProfileIsDroppedAndNoPixelChanges(String name) throws Exception {
        Path file = TestData.sampleImage(name);
        byte[] original = Files.readAllBytes(file);
        assertTrue(contains(original, "iCCP"), name + " has no colour profile: this test checks nothing");
        byte[] stripped = PngFile.withoutColourProfile(file);
        assertNotNull(stripped);
        assertTrue(stripped.length < original.length);
        assertTrue(!contains(stripped, "iCCP"), "the iCCP chunk is still there");

        LoadedImage ours = Images.read(file);
        OpenCv.load();
        Mat bgr = Imgcodecs.imread(file.toString(), Imgcodecs.IMREAD_COLOR);
        Mat rgb = new Mat();
        Imgproc.cvtColor(bgr, rgb, Imgproc.COLOR_BGR2RGB);
        byte[] want = new byte[(int) rgb.total() * 3];
        rgb.get(0, 0, want);
        assertEquals(rgb.cols(), ours.width());
        assertEquals(rgb.rows(), ours.height());
        assertArrayEquals(want, ours.rgb());
        bgr.release();
        rgb.release();
    }

    @Test
    void otherFilesAreReadAsTheyAre(@TempDir Path dir) throws Exception {
        assertNull(PngFile.withoutColourProfile(TestData.sampleImage("shapes-01.png")), "a PNG without a profile");
        assertNull(PngFile.withoutColourProfile(TestData.sampleImage("faust_github.jpg")), "a JPEG");
        // cut inside the iCCP chunk: OpenCV gets the file as it is (and says what it says)
        byte[] png = Files.readAllBytes(TestData.sampleImage("astronaut.png"));
        int iccp = indexOf(png, "iCCP");
        Path cut = dir.resolve("cut.png");
        Files.write(cut, Arrays.copyOf(png, iccp + 20));
        assertNull(PngFile.withoutColourProfile(cut));
        Path empty = dir.resolve("empty.png");
        Files.write(empty, new byte[0]);
        assertNull(PngFile.withoutColourProfile(empty));
    }

    private static boolean contains(byte[] data, String type) {
        return indexOf(data, type) >= 0;
    }

    private static int indexOf(byte[] data, String type) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + t.length <= data.length; i++) {
            for (int k = 0; k < t.length; k++) {
                if (data[i + k] != t[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

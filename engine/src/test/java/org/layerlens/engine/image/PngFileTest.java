package org.layerlens.engine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
 * PNGs are checked before OpenCV decodes them ({@link PngFile}). PNGs with an embedded colour profile are read without it (libpng's "iCCP: known incorrect sRGB
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
        byte[] stripped = PngFile.prepared(file);
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
    void otherFilesAreReadAsTheyAre() throws Exception {
        Path plain = TestData.sampleImage("shapes-01.png");
        assertArrayEquals(Files.readAllBytes(plain), PngFile.prepared(plain), "a PNG without a profile");
        assertNull(PngFile.prepared(TestData.sampleImage("faust_github.jpg")), "a JPEG");
    }

    /**
     * A PNG cut short or with a damaged critical chunk is one line saying so and where, before
     * OpenCV sees it (libpng printed "Read Error" or "invalid distance too far back" and then we
     * said "not an image OpenCV can read" of a .png); a damaged ancillary chunk is left to libpng,
     * which skips it and decodes.
     */
    @Test
    void aCutOrDamagedPngIsOneLineSayingWhere(@TempDir Path dir) throws Exception {
        byte[] png = Files.readAllBytes(TestData.sampleImage("coffee.png"));
        Path cut = dir.resolve("cut.png");
        Files.write(cut, Arrays.copyOf(png, 100_000));
        IOException c = assertThrows(IOException.class, () -> Images.read(cut));
        assertTrue(c.getMessage().matches(java.util.regex.Pattern.quote(cut.toString())
                + ": a PNG cut short: its IDAT chunk at byte \\d+ needs \\d+ bytes; the file ends \\d+ bytes after it starts"),
                c.getMessage());
        Path header = dir.resolve("header.png");
        Files.write(header, Arrays.copyOf(png, 30));
        assertTrue(assertThrows(IOException.class, () -> Images.read(header)).getMessage()
                .startsWith(header + ": a PNG cut short: its IHDR chunk at byte 8 needs 25 bytes"));
        Path noEnd = dir.resolve("no-end.png");
        Files.write(noEnd, Arrays.copyOf(png, png.length - 12)); // the IEND chunk taken off
        assertEquals(noEnd + ": a PNG cut short: it ends at byte " + (png.length - 12) + " with no end chunk (IEND)",
                assertThrows(IOException.class, () -> Images.read(noEnd)).getMessage());

        byte[] flipped = png.clone();
        int idat = indexOf(png, "IDAT") - 4;
        flipped[idat + 200] ^= 0x55;
        Path damaged = dir.resolve("damaged.png");
        Files.write(damaged, flipped);
        assertEquals(damaged + ": a damaged PNG: its IDAT chunk at byte " + idat + " fails its checksum (CRC)",
                assertThrows(IOException.class, () -> Images.read(damaged)).getMessage());

        // a damaged ancillary chunk (the colour profile here): read, without it
        byte[] profile = Files.readAllBytes(TestData.sampleImage("astronaut.png"));
        int iccp = indexOf(profile, "iCCP") - 4;
        profile[iccp + 20] ^= 0x55;
        Path ancillary = dir.resolve("ancillary.png");
        Files.write(ancillary, profile);
        assertEquals(512, Images.read(ancillary).width());
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

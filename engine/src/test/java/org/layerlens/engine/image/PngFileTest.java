package org.layerlens.engine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        byte[] stripped = stripped(file);
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
        assertTrue(PngFile.check(TestData.sampleImage("shapes-01.png")).isEmpty(), "a PNG without a profile");
        assertTrue(PngFile.check(TestData.sampleImage("faust_github.jpg")).isEmpty(), "a JPEG");
    }

    /** Every colour profile goes (libpng warns about each), the rest of the file stays as it was. */
    @Test
    void twoProfilesBothGo(@TempDir Path dir) throws Exception {
        byte[] png = Files.readAllBytes(TestData.sampleImage("astronaut.png"));
        int at = indexOf(png, "iCCP") - 4;
        int whole = 12 + java.nio.ByteBuffer.wrap(png, at, 4).getInt();
        byte[] twice = new byte[png.length + whole];
        System.arraycopy(png, 0, twice, 0, at + whole);
        System.arraycopy(png, at, twice, at + whole, png.length - at);
        Path file = dir.resolve("twice.png");
        Files.write(file, twice);
        assertEquals(2, PngFile.check(file).size());
        byte[] without = stripped(file);
        assertEquals(png.length - whole, without.length);
        assertFalse(contains(without, "iCCP"));
        assertArrayEquals(Images.read(TestData.sampleImage("astronaut.png")).rgb(), Images.read(file).rgb());
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

        byte[] huge = png.clone();
        java.nio.ByteBuffer.wrap(huge).putInt(idat, 0xffffffff);
        Path length = dir.resolve("length.png");
        Files.write(length, huge);
        assertEquals(length + ": a damaged PNG: the chunk at byte " + idat + " declares 4294967295 bytes, more than "
                + "the format allows", assertThrows(IOException.class, () -> Images.read(length)).getMessage());

        // a damaged ancillary chunk (a text comment with a wrong checksum, before the end chunk) is
        // left to libpng, which skips it: the image reads as it would without it
        byte[] plain = Files.readAllBytes(TestData.sampleImage("shapes-01.png"));
        byte[] text = {0, 0, 0, 11, 't', 'E', 'X', 't', 'C', 'o', 'm', 'm', 'e', 'n', 't', 0, 'a', 'b', 'c', 0, 0, 0, 0};
        byte[] withText = new byte[plain.length + text.length];
        System.arraycopy(plain, 0, withText, 0, plain.length - 12);
        System.arraycopy(text, 0, withText, plain.length - 12, text.length);
        System.arraycopy(plain, plain.length - 12, withText, plain.length - 12 + text.length, 12);
        Path ancillary = dir.resolve("ancillary.png");
        Files.write(ancillary, withText);
        assertTrue(PngFile.check(ancillary).isEmpty());
        assertArrayEquals(Images.read(TestData.sampleImage("shapes-01.png")).rgb(), Images.read(ancillary).rgb());
    }

    /** The bytes {@link PngFile#without} gives OpenCV for {@code file}, without its colour profiles. */
    private static byte[] stripped(Path file) throws IOException {
        OpenCv.load();
        Mat m = PngFile.without(file, PngFile.check(file));
        try {
            byte[] b = new byte[(int) m.total()];
            m.get(0, 0, b);
            return b;
        } finally {
            m.release();
        }
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

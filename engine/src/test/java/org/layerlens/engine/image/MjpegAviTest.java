package org.layerlens.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.TestData;
import org.layerlens.engine.TestImages;
import org.opencv.core.Mat;
import org.opencv.videoio.VideoCapture;
import org.opencv.videoio.Videoio;

/**
 * Motion-JPEG .avi files read by walking their chunks ({@link AviFile}, {@link AviFrames}),
 * checked against OpenCV's own AVI reader on files written by OpenCV and by FFmpeg, and on the
 * damage OpenCV's reader does not survive: a recording cut short (no index: refused whole), a
 * damaged frame (the video ended there), a damaged chunk header without an index.
 * Frames are compared with a tolerance of 1 grey level: both readers decode the same bytes with
 * the same libjpeg, so they are expected to be equal, but that is not this test's point.
 */
class MjpegAviTest {
    @Test
    void filesWrittenByOpenCvAndByFfmpegGiveOpenCvsFrames(@TempDir Path dir) throws Exception {
        Path opencv = TestImages.video(dir.resolve("clip.avi"), TestData.sampleImage("coffee.png"), 12, 10);
        Path ffmpeg = TestData.resource("video/ffmpeg-mjpeg.avi");
        for (Path clip : List.of(opencv, ffmpeg)) {
            List<LoadedImage> ours = frames(clip);
            List<LoadedImage> theirs = openCvFrames(clip);
            assertEquals(theirs.size(), ours.size(), clip.toString());
            for (int i = 0; i < ours.size(); i++) {
                assertClose(theirs.get(i), ours.get(i), clip + " frame " + i);
                assertEquals(List.of(), ours.get(i).warnings());
            }
            try (Video v = Video.open(clip)) {
                assertEquals(ours.size(), v.frameCount());
                assertEquals(clip == opencv ? 10 : 8, v.fps(), 1e-9, "the rate its header gives");
            }
        }
        assertEquals(16, frames(ffmpeg).size());
    }

    @Test
    void aRecordingCutShortPlaysUpToItsCutWithOneWarning(@TempDir Path dir) throws Exception {
        Path whole = TestImages.video(dir.resolve("clip.avi"), TestData.sampleImage("coffee.png"), 12, 10);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.avi"), Arrays.copyOf(bytes, bytes.length / 2));
        List<LoadedImage> all = frames(whole);
        List<LoadedImage> kept = frames(cut);
        assertTrue(kept.size() >= 4 && kept.size() < 12, kept.size() + " frames");
        for (int i = 0; i < kept.size(); i++) {
            assertClose(all.get(i), kept.get(i), "frame " + i);
        }
        assertEquals(List.of(cut + ": the video is cut short (an interrupted recording?); its " + kept.size()
                + " whole frames are played"), kept.get(0).warnings());
        assertEquals(List.of(), kept.get(1).warnings(), "said once");
    }

    @Test
    void aDamagedFrameIsSkippedWithAWarningAndTheVideoGoesOn(@TempDir Path dir) throws Exception {
        Path whole = TestImages.video(dir.resolve("clip.avi"), TestData.sampleImage("coffee.png"), 12, 10);
        byte[] bytes = Files.readAllBytes(whole);
        List<Integer> chunks = frameChunks(bytes);
        int at = chunks.get(5);
        int length = java.nio.ByteBuffer.wrap(bytes, at + 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        for (int i = 0; i < length; i++) {
            bytes[at + 8 + i] = (byte) (i * 37 % 251); // no JPEG left in frame 5
        }
        Path damaged = Files.write(dir.resolve("damaged.avi"), bytes);
        List<LoadedImage> all = frames(whole);
        try (Video v = Video.open(damaged)) {
            assertEquals(12, v.frameCount());
            List<LoadedImage> got = new ArrayList<>();
            List<Integer> indices = new ArrayList<>();
            for (LoadedImage f; (f = v.read()) != null;) {
                got.add(f);
                indices.add(v.position() - 1);
            }
            assertEquals(List.of(0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11), indices, "frame 5 skipped, the rest there");
            for (int i = 0; i < got.size(); i++) {
                assertClose(all.get(indices.get(i)), got.get(i), "frame " + indices.get(i));
            }
            assertEquals(List.of(damaged + ": frame 6 of 12 could not be decoded (damaged); skipped"),
                    got.get(5).warnings(), "the frame after it says so, counted from 1 as the window's bar counts");
        }
        assertEquals(5, openCvFrames(damaged).size(), "OpenCV's reader ended the video at the damaged frame");
    }

    @Test
    void withoutAnIndexADamagedChunkHeaderIsSteppedOver(@TempDir Path dir) throws Exception {
        Path whole = TestImages.video(dir.resolve("clip.avi"), TestData.sampleImage("coffee.png"), 12, 10);
        byte[] bytes = Files.readAllBytes(whole);
        int index = indexOf(bytes, "idx1");
        assertTrue(index > 0);
        bytes = Arrays.copyOf(bytes, index); // the index gone, as in a recording cut just before it
        int header = frameChunks(bytes).get(7);
        Arrays.fill(bytes, header, header + 8, (byte) 0);
        Path damaged = Files.write(dir.resolve("damaged.avi"), bytes);
        List<LoadedImage> all = frames(whole);
        List<LoadedImage> got = frames(damaged);
        assertEquals(11, got.size(), "frame 7 lost with its header, no other");
        for (int i = 0; i < got.size(); i++) {
            assertClose(all.get(i < 7 ? i : i + 1), got.get(i), "frame " + i);
        }
        List<String> said = got.get(0).warnings();
        assertEquals(2, said.size(), said.toString());
        assertTrue(said.get(0).startsWith(damaged + ": ") && said.get(0).contains("damaged bytes between frames were "
                + "stepped over; 11 frames are played"), said.toString());
        assertEquals(damaged + ": the video is cut short (an interrupted recording?); its 11 whole frames are played",
                said.get(1), "the index is gone with the cut: both are said");
    }

    /**
     * A frame's length field damaged to past the file's end (no index): the walk steps over it to
     * the next frame and says damaged bytes, not "cut short" (review: it stopped there, 3 of 12
     * frames, and called the file cut). And a file cut inside its index plays every whole frame
     * (review: the first entries of the cut index were taken as all).
     */
    @Test
    void aDamagedLengthAndAnIndexCutShort(@TempDir Path dir) throws Exception {
        Path whole = TestImages.video(dir.resolve("clip.avi"), TestData.sampleImage("coffee.png"), 12, 10);
        byte[] bytes = Files.readAllBytes(whole);
        int index = indexOf(bytes, "idx1");
        byte[] noIndex = Arrays.copyOf(bytes, index);
        java.nio.ByteBuffer.wrap(noIndex, 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(noIndex.length - 8);
        int movi = indexOf(noIndex, "movi");
        java.nio.ByteBuffer.wrap(noIndex, movi - 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(noIndex.length - movi); // a well-formed file without an index
        int header = frameChunks(noIndex).get(3);
        java.nio.ByteBuffer.wrap(noIndex, header + 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0x7fffff00);
        Path badLength = Files.write(dir.resolve("badlength.avi"), noIndex);
        List<LoadedImage> got = frames(badLength);
        assertEquals(11, got.size(), "frame 3 lost with its length, no other");
        List<String> said = got.get(0).warnings();
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.get(0).contains("damaged bytes between frames were stepped over"), said.toString());

        Path cutInIndex = Files.write(dir.resolve("cutindex.avi"), Arrays.copyOf(bytes, index + 8 + 16 * 5 + 3));
        assertEquals(12, frames(cutInIndex).size(), "every whole frame, not the index's first five");
    }

    @Test
    void seekingGoesToExactlyTheFrameAskedFor(@TempDir Path dir) throws Exception {
        Path clip = TestImages.video(dir.resolve("clip.avi"), TestData.sampleImage("coffee.png"), 12, 10);
        List<LoadedImage> all = frames(clip);
        try (Video v = Video.open(clip)) {
            for (int i : new int[] {7, 0, 11, 3}) {
                v.seek(i);
                assertEquals(i, v.position());
                assertClose(all.get(i), v.read(), "frame " + i);
            }
            v.seek(11);
            v.read();
            assertNull(v.read(), "the end");
            v.seek(2);
            assertTrue(v.skip());
            assertEquals(3, v.position());
        }
    }

    private static List<LoadedImage> frames(Path clip) throws Exception {
        List<LoadedImage> out = new ArrayList<>();
        try (Video v = Video.open(clip)) {
            for (LoadedImage f; (f = v.read()) != null;) {
                out.add(f);
            }
        }
        return out;
    }

    /** The frames OpenCV's own AVI reader gives, until it gives none. */
    private static List<LoadedImage> openCvFrames(Path clip) {
        OpenCv.load();
        VideoCapture c = new VideoCapture(clip.toString(), Videoio.CAP_OPENCV_MJPEG);
        List<LoadedImage> out = new ArrayList<>();
        Mat bgr = new Mat();
        while (c.isOpened() && c.read(bgr) && !bgr.empty()) {
            out.add(Video.rgbImage(clip, bgr));
        }
        bgr.release();
        c.release();
        return out;
    }

    private static void assertClose(LoadedImage want, LoadedImage got, String what) {
        assertNotNull(got, what);
        assertEquals(want.width(), got.width(), what);
        assertEquals(want.height(), got.height(), what);
        int worst = 0;
        for (int i = 0; i < want.rgb().length; i++) {
            worst = Math.max(worst, Math.abs((want.rgb()[i] & 0xff) - (got.rgb()[i] & 0xff)));
        }
        assertTrue(worst <= 1, what + ": differs by " + worst + " grey levels");
    }

    /** Offsets of the '00dc' chunks in the 'movi' list. */
    private static List<Integer> frameChunks(byte[] b) {
        int movi = indexOf(b, "movi");
        List<Integer> out = new ArrayList<>();
        int at = movi + 4;
        while (at + 8 <= b.length && new String(b, at, 4, StandardCharsets.ISO_8859_1).equals("00dc")) {
            out.add(at);
            int length = java.nio.ByteBuffer.wrap(b, at + 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
            at += 8 + length + (length & 1);
        }
        return out;
    }

    private static int indexOf(byte[] b, String fourCc) {
        byte[] f = fourCc.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = 0; i + 4 <= b.length; i++) {
            for (int j = 0; j < 4; j++) {
                if (b[i + j] != f[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

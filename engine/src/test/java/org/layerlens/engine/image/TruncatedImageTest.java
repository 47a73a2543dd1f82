package org.layerlens.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.TestData;

/**
 * A JPEG cut short (the first 100,000 of sample-images/faust_github.jpg's 224,866 bytes) is
 * still read, as other viewers read it, with one warning naming the file; the whole file, the
 * file padded with zeros after its end marker, and the file with a trailer (bytes without an end
 * marker, longer than the tail searched first) after it are read without one.
 */
class TruncatedImageTest {
    @Test
    void aTruncatedJpegIsReadWithOneWarningNamingIt(@TempDir Path dir) throws Exception {
        byte[] whole = Files.readAllBytes(TestData.repoFile("sample-images/faust_github.jpg"));
        Path cut = dir.resolve("trunc.jpg");
        Files.write(cut, Arrays.copyOf(whole, 100_000));
        LoadedImage t = Images.read(cut);
        assertEquals(800, t.width());
        assertEquals(598, t.height());
        assertEquals(List.of(cut + ": the JPEG ends before its end marker (truncated?); only the part that is there"
                + " was decoded"), t.warnings());
        assertEquals(t.warnings(), Images.fit(t, 100).warnings(), "a display copy keeps them");

        Path cutPadded = dir.resolve("trunc-padded.jpg");
        Files.write(cutPadded, concat(Arrays.copyOf(whole, 100_000), new byte[10_000]));
        assertEquals(1, Images.read(cutPadded).warnings().size(), "cut, then zeros: still cut");

        Path ok = dir.resolve("whole.jpg");
        Files.write(ok, whole);
        assertEquals(List.of(), Images.read(ok).warnings());

        Path padded = dir.resolve("padded.jpg");
        Files.write(padded, concat(whole, new byte[1000]));
        assertEquals(List.of(), Images.read(padded).warnings(), "zeros after the end marker");

        byte[] trailer = new byte[3 * JpegFile.TAIL];
        for (int i = 0; i < trailer.length; i++) {
            trailer[i] = (byte) ("SEFT".charAt(i % 4));
        }
        Path withTrailer = dir.resolve("trailer.jpg");
        Files.write(withTrailer, concat(whole, trailer));
        assertEquals(List.of(), Images.read(withTrailer).warnings(), "a trailer after the end marker");

        Path png = TestData.repoFile("sample-images/coffee.png");
        assertTrue(Images.read(png).warnings().isEmpty());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}

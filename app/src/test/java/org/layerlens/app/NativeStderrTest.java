package org.layerlens.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.app.Cli.Result;

/**
 * What native libraries print goes to the process's own standard error, past anything Java can
 * catch, so this runs the command in a child JVM: `detect` on the two bundled sample images with
 * an embedded colour profile that libpng calls incorrect (scikit-image's astronaut and chelsea,
 * written by other programs than ours) printed "libpng warning: iCCP: known incorrect sRGB
 * profile" twice each before the detections, on every run; libjpeg said "Premature end of JPEG
 * file" of a JPEG cut short.
 */
class NativeStderrTest {
    @Test
    void samplePngsWithAColourProfileReadWithoutLibpngWarnings() throws Exception {
        Result r = ChildJvm.run(false, "detect", "--threads", "1", "--image",
                Repo.sample("astronaut.png").toString(), "--image", Repo.sample("chelsea.png").toString());
        String o = r.out();
        String e = r.err();
        assertEquals(0, r.code(), o + e);
        assertTrue(o.contains("astronaut.png (512x512)") && o.contains("chelsea.png (451x300)"), o);
        assertFalse(e.contains("libpng"), e);
    }

    /**
     * A JPEG cut short (the first 100,000 of faust_github.jpg's 224,866 bytes): libjpeg printed
     * "Premature end of JPEG file" on stderr as well as our own warning naming the file.
     */
    @Test
    void aTruncatedJpegIsWarnedOfOnceWithoutLibjpegsLine(@TempDir Path dir) throws Exception {
        Path cut = dir.resolve("cut.jpg");
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(Repo.sample("faust_github.jpg")), 100_000));
        Result r = ChildJvm.run(false, "detect", "--threads", "1", "--image", cut.toString());
        String e = r.err();
        assertEquals(0, r.code(), r.out() + e);
        assertTrue(r.out().contains("cut.jpg (800x598)"), r.out());
        assertEquals(1, e.split(java.util.regex.Pattern.quote(cut + ": the JPEG ends before its end marker"), -1).length - 1, e);
        assertFalse(e.contains("Premature end of JPEG file"), e);
    }
}

package org.layerlens.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.layerlens.app.Cli.Result;

/**
 * What native libraries print goes to the process's own standard error, past anything Java can
 * catch, so this runs the command in a child JVM: `detect` on the two bundled sample images with
 * an embedded colour profile that libpng calls incorrect (scikit-image's astronaut and chelsea,
 * written by other programs than ours) printed "libpng warning: iCCP: known incorrect sRGB
 * profile" twice each before the detections, on every run.
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
}

package org.layerlens.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What native libraries print goes to the process's own standard error, past anything Java can
 * catch, so this runs the command in a child JVM: `detect` on the two bundled sample images with
 * an embedded colour profile that libpng calls incorrect (scikit-image's astronaut and chelsea,
 * written by other programs than ours) printed "libpng warning: iCCP: known incorrect sRGB
 * profile" twice each before the detections, on every run.
 */
class NativeStderrTest {
    @Test
    void samplePngsWithAColourProfileReadWithoutLibpngWarnings(@TempDir Path dir) throws Exception {
        Path err = dir.resolve("err.txt");
        Path out = dir.resolve("out.txt");
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "org.layerlens.app.Main", "detect",
                "--threads", "1", "--image", Repo.sample("astronaut.png").toString(), "--image",
                Repo.sample("chelsea.png").toString()));
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("still running after 240 s");
        }
        String o = Files.readString(out);
        String e = Files.readString(err);
        assertEquals(0, p.exitValue(), o + e);
        assertTrue(o.contains("astronaut.png (512x512)") && o.contains("chelsea.png (451x300)"), o);
        assertFalse(e.contains("libpng"), e);
    }
}

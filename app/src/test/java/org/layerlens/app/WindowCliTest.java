package org.layerlens.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.layerlens.app.Cli.run;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.app.Cli.Result;

/**
 * The window's command line: --layer a model lacks, --snapshot without a display, and a snapshot
 * of faces-v1 without --layer. Snapshots run in a child JVM (JavaFX starts once per process) on
 * the headless Monocle platform the window tests use.
 */
class WindowCliTest {
    @Test
    void aLayerTheModelLacksIsOneLineAndAUsageError() {
        Result r = run("--model", Repo.randomModel().toString(), "--layer", "nosuchlayer");
        assertEquals(2, r.code(), r.err());
        assertEquals("layerlens: --layer nosuchlayer: mb2-ssd-lite-random-4.pth has no module of that name (its head "
                + "sources are base_net.14.conv.2, base_net, extras.0, extras.1, extras.2, extras.3; 'layerlens summary "
                + "--model M' lists every module)\n", r.err());
        Result faces = run("--model", "faces-v1", "--layer", "base_net.14.conv.2", "--snapshot", "x.png");
        assertEquals(2, faces.code(), faces.err());
        assertTrue(faces.err().startsWith("layerlens: --layer base_net.14.conv.2: faces-v1 (face-api SSD MobileNetV1: "
                + "face) has no module of that name (its head sources are mobilenetv1.conv_11, "), faces.err());
        assertEquals(1, faces.err().lines().count());
    }

    @Test
    void aSnapshotWithoutADisplaySaysSoAndNamesXvfbRun(@TempDir Path dir) throws Exception {
        Result r = ChildJvm.run(false, "--snapshot", dir.resolve("x.png").toString());
        assertEquals(1, r.code(), r.err());
        assertEquals("layerlens: no display to open the window on (DISPLAY is not set); for --snapshot or --measure "
                + "without a screen, run it under a virtual one: xvfb-run -a java -jar layerlens.jar --snapshot "
                + "OUT.png\n", r.err());
        assertTrue(Files.notExists(dir.resolve("x.png")));
    }

    @Test
    void aFacesSnapshotWithoutLayerShowsFacesFirstSource(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("faces.png");
        Result r = ChildJvm.run(true, "--model", "faces-v1", "--image", Repo.sample("astronaut.png").toString(),
                "--snapshot", png.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("wrote " + png + ": faces-v1 (face-api SSD MobileNetV1: face), module "
                + "mobilenetv1.conv_11, 512 channels, 1 detection(s)"), r.out());
        assertTrue(Files.size(png) > 50_000, "a real picture: " + Files.size(png));
    }
}

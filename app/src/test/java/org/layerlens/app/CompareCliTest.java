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
 * The window's --compare and --dataset: wrong values are one line and a usage error before any
 * window opens; a snapshot in compare mode waits for the comparison and shows its first divergent
 * module (in a child JVM on the headless Monocle platform: JavaFX starts once per process).
 */
class CompareCliTest {
    @Test
    void wrongValuesAreOneLineAndAUsageError(@TempDir Path dir) {
        Result q = run("--compare", "jpeg:0");
        assertEquals(2, q.code());
        assertEquals("layerlens: --compare jpeg:0: darker:FACTOR (0 < FACTOR <= 1), jpeg:QUALITY (1..100), image:FILE\n",
                q.err());
        Result cal = run("--compare", "int8-per-channel");
        assertEquals(2, cal.code());
        assertTrue(cal.err().startsWith("layerlens: --compare int8-per-channel: the int8 what-if needs a calibration "
                + "file"), cal.err());
        // a damaged calibration table: one line naming it and the module, exit 1, no window
        Path bad = dir.resolve("cal.json");
        try {
            java.nio.file.Files.writeString(bad, "{\"modules\": {\"base_net.0.2\": {\"min\": 0}}}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Result damaged = run("--compare", "int8-per-channel:" + bad, "--snapshot", dir.resolve("x.png").toString());
        assertEquals(1, damaged.code(), damaged.err());
        assertEquals("layerlens: " + bad + ": base_net.0.2: no number \"max\"\n", damaged.err());
        Result ds = run("--dataset", dir.resolve("nothing").toString());
        assertEquals(2, ds.code());
        assertEquals("layerlens: --dataset " + dir.resolve("nothing") + ": not a folder\n", ds.err());
        Result tab = run("--tab", "stats");
        assertEquals("layerlens: --tab is channels, block, explain, class-maps, compare or dataset, not 'stats'\n", tab.err());
    }

    @Test
    void aSnapshotInCompareModeShowsTheFirstDivergentModule(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("compare.png");
        Result r = ChildJvm.run(true, "--model", Repo.randomModel().toString(), "--image",
                Repo.sample("shapes-01.png").toString(), "--compare", "image:" + Repo.sample("shapes-02.png"), "--tab",
                "compare", "--snapshot", png.toString());
        String o = r.out();
        assertEquals(0, r.code(), o + r.err());
        // two different scenes part at the first convolution: the snapshot shows that module
        assertTrue(o.contains("wrote " + png + ": mb2-ssd-lite-random-4.pth, module base_net.0.0,"), o);
        assertTrue(Files.size(png) > 10_000);
    }
}

package org.layerlens.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The app's Main in a child JVM on this test's class path, for what one process cannot show:
 * a window (JavaFX starts once per process) or what native libraries print on the process's own
 * standard error. One engine thread (OMP_NUM_THREADS=1), no display.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    /** Runs Main with {@code args}; {@code headless} adds the Monocle platform the window tests use. */
    static Cli.Result run(boolean headless, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        if (headless) {
            cmd.addAll(List.of("-Dglass.platform=Monocle", "-Dmonocle.platform=Headless", "-Dprism.order=sw",
                    "-Dprism.text=t2k", "-Dheadless.geometry=1920x1200-32"));
        }
        cmd.add("org.layerlens.app.Main");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        pb.environment().put("OMP_NUM_THREADS", "1");
        Path out = Files.createTempFile("layerlens-out", ".txt");
        Path err = Files.createTempFile("layerlens-err", ".txt");
        try {
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(240, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("still running after 240 s: " + String.join(" ", args));
            }
            return new Cli.Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}

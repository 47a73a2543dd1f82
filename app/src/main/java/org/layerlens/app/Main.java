package org.layerlens.app;

import java.io.PrintStream;
import java.util.Set;

/**
 * Entry point. A plain class (not a JavaFX Application) so the app starts from the class path.
 * No command opens the window; a command runs headless.
 */
public final class Main {
    static final Set<String> FLAGS = Set.of("verbose", "help");

    private Main() {
    }

    public static void main(String[] argv) {
        if (System.getProperty("org.nd4j.log.initialization") == null) {
            System.setProperty("org.nd4j.log.initialization", "false");
        }
        if (Boolean.getBoolean("layerlens.trace")) {
            System.err.printf("[%5d ms] main%n", java.time.Duration.between(ProcessHandle.current().parent()
                    .flatMap(p -> p.info().startInstant()).orElse(java.time.Instant.now()), java.time.Instant.now())
                    .toMillis());
        }
        Integer child = relaunch(argv);
        System.exit(child != null ? child : run(argv, System.out, System.err));
    }

    /** Heap for a relaunched process: enough for large photos, small enough that the GC frees ND4J's
     * native buffers promptly (500 fast + 500 inspect passes grew resident memory by 24 MB). */
    static final String DEFAULT_HEAP = "-Xmx256m";

    /**
     * ND4J takes its thread count only from OMP_NUM_THREADS when its native library loads; two
     * threads on two shared cores ran the network 2.7x slower here (259 vs 94 ms under load). A
     * process started without it (a plain {@code java -jar}) starts itself again with
     * OMP_NUM_THREADS=1 and, unless the user chose one, a bounded heap. Returns the child's exit
     * status, or null when this process should do the work itself.
     */
    static Integer relaunch(String[] argv) {
        if (System.getenv("OMP_NUM_THREADS") != null || Boolean.getBoolean("layerlens.child")) {
            return null;
        }
        java.nio.file.Path javaBin = java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java");
        if (!java.nio.file.Files.isExecutable(javaBin)) {
            return null;
        }
        java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add(javaBin.toString());
        java.util.List<String> jvm = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
        cmd.addAll(jvm);
        if (jvm.stream().noneMatch(a -> a.startsWith("-Xmx") || a.startsWith("-XX:MaxRAM"))) {
            cmd.add(DEFAULT_HEAP);
        }
        cmd.add("-Dlayerlens.child=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(java.util.Arrays.asList(argv));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("OMP_NUM_THREADS", "1");
        try {
            Process p = pb.start();
            return p.waitFor();
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        boolean verbose = false;
        for (String a : argv) {
            verbose |= a.equals("--verbose");
        }
        try {
            Args a = new Args(argv, FLAGS);
            if (a.flag("help")) {
                out.println(Cli.USAGE);
                return 0;
            }
            if (a.command == null) {
                return GuiLauncher.launch(a);
            }
            return new Cli(out).run(a);
        } catch (Args.UsageException e) {
            err.println("layerlens: " + e.getMessage());
            return 2;
        } catch (Exception | OutOfMemoryError e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            // one line, as the issue asks; PyTorch-style multi-line load errors are joined
            err.println("layerlens: " + msg.replace("\n\t", " ").replace('\n', ' '));
            if (verbose) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }
}

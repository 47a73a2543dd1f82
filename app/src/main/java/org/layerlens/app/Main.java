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
        System.exit(run(argv, System.out, System.err));
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

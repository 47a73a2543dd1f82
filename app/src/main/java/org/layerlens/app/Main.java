package org.layerlens.app;

import java.io.PrintStream;

import org.layerlens.app.cli.Args;
import org.layerlens.app.cli.Commands;
import org.layerlens.app.cli.Context;
import org.layerlens.engine.api.EngineThreads;
import org.layerlens.engine.exec.Nd4jRuntime;

/**
 * Entry point. A plain class (not a JavaFX Application) so the app starts from the class path.
 * No command opens the window; a command runs headless. The engine uses the machine's physical
 * cores unless {@code --threads N} says otherwise; no relaunch is needed for that.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err));
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        boolean verbose = false;
        for (String a : argv) {
            verbose |= a.equals("--verbose");
        }
        Context c = new Context(out, err, verbose);
        try {
            Args a = new Args(argv, Commands.FLAGS);
            if (a.flag("help")) {
                out.println(Commands.usage());
                return 0;
            }
            if (a.get("threads") != null) {
                Nd4jRuntime.setThreads(a.getInt("threads", 1, 1, EngineThreads.MAX));
            }
            if (a.command == null) {
                return GuiLauncher.launch(a);
            }
            return Commands.run(a, c);
        } catch (Args.UsageException e) {
            err.println("layerlens: " + e.getMessage());
            return 2;
        } catch (Exception | OutOfMemoryError e) {
            // one line, as users expect; PyTorch-style multi-line load errors are joined
            err.println("layerlens: " + Context.oneLine(e));
            if (verbose) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }
}

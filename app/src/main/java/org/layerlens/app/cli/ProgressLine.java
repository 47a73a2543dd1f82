package org.layerlens.app.cli;

import java.io.PrintStream;
import java.util.Locale;

import org.layerlens.engine.analysis.Progress;

/**
 * A progress line redrawn in place on the terminal (carriage return), at most five times a second;
 * nothing when the output is not a terminal (logs, tests), where only warnings are printed.
 */
final class ProgressLine implements Progress {
    private final PrintStream err;
    private final boolean terminal = System.console() != null;
    private final long start = System.nanoTime();
    private long last;
    private boolean drawn;

    ProgressLine(PrintStream err) {
        this.err = err;
    }

    @Override
    public synchronized void update(long done, long total, String what) {
        long now = System.nanoTime();
        if (!terminal || done < total && now - last < 200_000_000L) {
            return;
        }
        last = now;
        double secs = (now - start) / 1e9;
        double rate = done / Math.max(secs, 1e-9);
        String eta = done > 0 && done < total ? String.format(Locale.ROOT, ", %.0f s left", (total - done) / rate) : "";
        err.printf(Locale.ROOT, "\r%d/%d images, %.1f/s%s  %-30.30s", done, total, rate, eta, what);
        err.flush();
        drawn = true;
    }

    /** A warning on its own line, the progress line drawn again after it. */
    synchronized void warn(String line) {
        if (drawn) {
            err.print("\r\033[K");
        }
        err.println(line);
        last = 0;
    }

    synchronized void finish() {
        if (drawn) {
            err.println();
        }
    }
}

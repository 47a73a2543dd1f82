package org.layerlens.engine.analysis;

/**
 * Receives how far a long analysis has come ({@code done} of {@code total} steps, and what it is
 * doing), from whichever thread does the work: a window hands it on to its own thread, the CLI
 * prints a line. Cancellation goes the other way, through a {@code BooleanSupplier}.
 */
@FunctionalInterface
public interface Progress {
    Progress NONE = (done, total, what) -> { };

    void update(long done, long total, String what);
}

package org.layerlens.engine.exec;

/** Thrown inside a run when its {@link Execution#cancel()} was called. */
public final class CancelledException extends RuntimeException {
    public CancelledException() {
        super("run cancelled");
    }
}

package org.layerlens.engine.exec;

/** Thrown inside a run when it was cancelled; the run stops at the next op boundary. */
public final class CancelledException extends RuntimeException {
    public CancelledException() {
        super("run cancelled");
    }
}

package org.layerlens.viewer.jobs;

import java.util.concurrent.Callable;

/**
 * A value computed at most once, by whichever job asks for it first; later jobs wait for it and
 * get the same value (or the same failure). A model being loaded is one: a job that opens an
 * image while the model is still loading waits for that model instead of taking the old one.
 */
public final class Once<T> {
    private Callable<T> work;
    private T value;
    private Throwable failure;

    private Once(Callable<T> work, T value) {
        this.work = work;
        this.value = value;
    }

    public static <T> Once<T> of(Callable<T> work) {
        return new Once<>(work, null);
    }

    /** A value that is already there. */
    public static <T> Once<T> done(T value) {
        return new Once<>(null, value);
    }

    /** The value if it is already computed, else null (never blocks, never computes). */
    public T peek() {
        synchronized (this) {
            return work == null && failure == null ? value : null;
        }
    }

    public synchronized T get() throws Exception {
        if (work != null) {
            Callable<T> w = work;
            work = null;
            try {
                value = w.call();
            } catch (Exception | Error e) {
                failure = e;
            }
        }
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return value;
    }
}

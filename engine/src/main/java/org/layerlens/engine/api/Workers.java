package org.layerlens.engine.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.layerlens.engine.exec.CancelledException;

/**
 * Independent tasks (images of a folder, modules of a comparison) on several threads, the calling
 * thread one of them: each thread takes the next index until none is left, with scratch space of
 * its own, and the results come back in index order. The first failure stops the others after the
 * task they are on; so does {@code stop}. Either way nothing runs any more when {@link #run}
 * returns or throws, so the caller may free what the tasks read.
 */
public final class Workers {
    /** One task: {@code index} of the run, with the scratch of the thread running it; may throw an {@code X}. */
    @FunctionalInterface
    public interface Task<S, R, X extends Exception> {
        R run(S scratch, int index) throws X;
    }

    private Workers() {
    }

    /**
     * Runs tasks {@code 0 .. count-1} on at most {@code threads} threads (named {@code name}).
     *
     * @param scratch makes each thread's scratch space once (null: none)
     * @param stop    checked before each task (null: never); when it says stop, no task starts
     *                any more and {@link CancelledException} is thrown once all have stopped
     * @return the results in index order (a task may return null)
     * @throws X the first failure of a task, as it was thrown (an unchecked one likewise)
     */
    public static <S, R, X extends Exception> List<R> run(String name, int count, int threads, Supplier<S> scratch,
                                                          Task<S, R, X> task, BooleanSupplier stop) throws X {
        Object[] out = new Object[count];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = Thread.currentThread();
        // an interrupt of the calling thread stops the run like a stop does; once seen it is kept
        // here, since the caller's flag does not stay set: waiting for the helpers clears it (to
        // throw InterruptedException), and until the caller had recorded that as a failure (an
        // exception to make: tens of microseconds) the helpers saw neither and ran on, up to 479
        // tasks of 500 in a test here
        AtomicBoolean callerInterrupted = new AtomicBoolean();
        BooleanSupplier halted = () -> failure.get() != null || callerInterrupted.get()
                || caller.isInterrupted() && latch(callerInterrupted) || stop != null && stop.getAsBoolean();
        Runnable worker = () -> {
            try {
                S s = scratch == null ? null : scratch.get();
                int i;
                while (!halted.getAsBoolean() && (i = next.getAndIncrement()) < count) {
                    out[i] = task.run(s, i);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
        int n = Math.max(1, Math.min(threads, count));
        List<Future<?>> helpers = new ArrayList<>();
        ExecutorService pool = n == 1 ? null : Executors.newFixedThreadPool(n - 1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        try {
            for (int t = 1; t < n; t++) {
                helpers.add(pool.submit(worker));
            }
            worker.run();
        } catch (RuntimeException | Error e) { // a helper thread could not be started
            failure.compareAndSet(null, e);
        } finally {
            awaitAll(helpers, failure); // nothing of this run goes on after it
            if (pool != null) {
                pool.shutdown();
            }
        }
        if (caller.isInterrupted() || callerInterrupted.get()) {
            failure.compareAndSet(null, new CancelledException());
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            // checked: only a task throws one, so it is an X
            @SuppressWarnings("unchecked")
            X x = (X) t;
            throw x;
        }
        if (stop != null && stop.getAsBoolean()) {
            throw new CancelledException();
        }
        @SuppressWarnings("unchecked")
        List<R> results = (List<R>) Collections.unmodifiableList(Arrays.asList(out));
        return results;
    }

    /** Sets {@code flag}; true, for use in a condition. */
    private static boolean latch(AtomicBoolean flag) {
        flag.set(true);
        return true;
    }

    /**
     * Waits for every helper, even when this thread is interrupted (that counts as a cancel: the
     * helpers stop after their task; the interrupt is kept for the caller).
     */
    private static void awaitAll(List<Future<?>> helpers, AtomicReference<Throwable> failure) {
        boolean interrupted = false;
        for (Future<?> f : helpers) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    failure.compareAndSet(null, new CancelledException()); // the helpers stop on it
                } catch (ExecutionException e) {
                    failure.compareAndSet(null, e.getCause()); // the worker catches all: not reached
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

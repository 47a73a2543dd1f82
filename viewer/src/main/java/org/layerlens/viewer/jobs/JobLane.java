package org.layerlens.viewer.jobs;

import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import org.layerlens.engine.exec.CancelledException;

/**
 * One kind of work of one window (its network runs, its selected layer's data, ...), where only
 * the latest request matters: submitting a job cancels the one before it, and only the latest
 * job's result is committed; an earlier job's result is handed to its discard action instead
 * (closing what it holds). {@link #runningProperty()} and Cancel belong to the latest job, so a
 * superseded job that finishes late neither greys out Cancel nor commits a stale result.
 * <p>
 * Jobs run on the worker executor; submission, commit, discard and failure reporting happen on
 * the UI executor (the JavaFX thread in the window, a plain thread in unit tests). Any failure,
 * {@link OutOfMemoryError} included, reaches the failure action; the state the commit action
 * would have changed stays as it was.
 */
public final class JobLane {
    /** The work of one job. */
    @FunctionalInterface
    public interface Work<R> {
        R run(Job job) throws Exception;
    }

    /** What a job sees of itself: whether it was cancelled, and a way to report progress. */
    public final class Job {
        private final long id;
        private volatile boolean cancelled;
        private volatile long lastProgress;

        private Job(long id) {
            this.id = id;
        }

        public boolean cancelled() {
            return cancelled;
        }

        /** Throws {@link CancelledException} once cancelled: call it between steps. */
        public void check() {
            if (cancelled) {
                throw new CancelledException();
            }
        }

        void cancel() {
            cancelled = true;
        }

        /** Reports progress (0..1); at most every 40 ms reaches the UI. */
        public void progress(double fraction) {
            long now = System.nanoTime();
            if (now - lastProgress < 40_000_000L && fraction < 1) {
                return;
            }
            lastProgress = now;
            post(() -> {
                if (current == this) {
                    progress.set(fraction);
                }
            }, null);
        }

        @Override
        public String toString() {
            return name + " job " + id;
        }
    }

    private final String name;
    private final Executor worker;
    private final Executor ui;
    private final AtomicLong ids = new AtomicLong();
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private Job current;
    private boolean closed;

    public JobLane(String name, Executor worker, Executor ui) {
        this.name = name;
        this.worker = worker;
        this.ui = ui;
    }

    /** Whether the latest job is still running (Cancel is enabled exactly then). */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** The latest job's progress, 0..1, or -1 while it has reported none. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /**
     * Runs {@code work} on a worker, replacing the latest job. Call on the UI thread.
     *
     * @param commit    receives the result if this job is still the latest when it ends
     * @param discard   receives the result of a job that was superseded or cancelled
     * @param cancelled runs when this job, still the latest, ends cancelled
     * @param failed    receives the failure of this job if it is still the latest
     */
    public <R> Job submit(Work<R> work, Consumer<R> commit, Consumer<R> discard, Runnable cancelled,
                          Consumer<Throwable> failed) {
        if (current != null) {
            current.cancel();
        }
        Job job = new Job(ids.incrementAndGet());
        if (closed) {
            job.cancel();
            return job;
        }
        current = job;
        running.set(true);
        progress.set(-1);
        Runnable body = () -> {
            R result;
            try {
                job.check();
                result = work.run(job);
            } catch (Throwable t) {
                post(() -> ended(job, t, cancelled, failed), null);
                return;
            }
            post(() -> {
                if (job == current && !job.cancelled && !closed) {
                    finish();
                    commit.accept(result);
                } else {
                    if (job == current) {
                        finish();
                        cancelled.run();
                    }
                    if (result != null) {
                        discard.accept(result);
                    }
                }
            }, () -> {
                if (result != null) {
                    discard.accept(result); // the UI is gone (the application is exiting)
                }
            });
        };
        try {
            worker.execute(body);
        } catch (RuntimeException e) { // a worker pool that was shut down
            ended(job, e, cancelled, failed);
        }
        return job;
    }

    /** Hands work to the UI thread; when it is gone (exiting), runs {@code orElse} here instead. */
    private void post(Runnable r, Runnable orElse) {
        try {
            ui.execute(r);
        } catch (RuntimeException gone) {
            if (orElse != null) {
                orElse.run();
            }
        }
    }

    private void ended(Job job, Throwable t, Runnable cancelled, Consumer<Throwable> failed) {
        if (job != current || closed) {
            return; // a superseded job: its failure no longer matters
        }
        finish();
        if (job.cancelled || t instanceof CancelledException || t instanceof CancellationException) {
            cancelled.run();
        } else {
            failed.accept(t);
        }
    }

    private void finish() {
        current = null;
        running.set(false);
        progress.set(0);
    }

    /** Cancels the latest job; it ends at its next check (the engine checks between ops). */
    public void cancel() {
        if (current != null) {
            current.cancel();
        }
    }

    /** Cancels the latest job and refuses new ones; late results go to their discard actions. */
    public void close() {
        cancel();
        closed = true;
        current = null;
        running.set(false);
    }
}

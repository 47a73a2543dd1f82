package org.layerlens.viewer.jobs;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javafx.application.Platform;

/**
 * The worker threads every window shares. Network runs, heatmaps, statistics, block diagrams,
 * pictures and exports all run here, never on the JavaFX thread. A few threads, not one: a
 * second window's run or a gallery's thumbnails need not wait behind another window's run; not
 * many: the engine already uses every core for one pass.
 */
public final class Jobs {
    private static final int THREADS = 4;
    private static final ThreadPoolExecutor SHARED;

    static {
        AtomicInteger n = new AtomicInteger();
        SHARED = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "layerlens-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        SHARED.allowCoreThreadTimeOut(true);
    }

    private Jobs() {
    }

    /** The shared workers. */
    public static Executor shared() {
        return SHARED;
    }

    /** The JavaFX thread as an executor: where results are committed. */
    public static Executor fxThread() {
        return Platform::runLater;
    }
}

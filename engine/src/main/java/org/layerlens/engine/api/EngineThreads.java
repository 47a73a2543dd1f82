package org.layerlens.engine.api;

import org.layerlens.engine.exec.Nd4jRuntime;

/**
 * How many threads each engine op may use, process-wide: the machine's physical cores unless the
 * user chose otherwise ({@code --threads}, the window's settings). A change applies to the next
 * op of every pass, with no restart. The window sets it through here, never through the
 * execution package.
 */
public final class EngineThreads {
    /** The most threads the engine accepts. */
    public static final int MAX = 256;

    private EngineThreads() {
    }

    /** Threads each op uses now. */
    public static int get() {
        return Nd4jRuntime.threads();
    }

    /** Sets the threads each op may use; {@link IllegalArgumentException} outside 1..{@link #MAX}. */
    public static void set(int n) {
        Nd4jRuntime.setThreads(n);
    }

    /**
     * Runs {@code work} (passes on the calling thread) on at most {@code n} of the threads: for
     * passes that run side by side on several threads, each with its share.
     */
    public static <T> T withShare(int n, java.util.function.Supplier<T> work) {
        return Nd4jRuntime.withShare(n, work);
    }

    /** The default: physical cores (or {@code OMP_NUM_THREADS} when set). */
    public static int defaultCount() {
        return Nd4jRuntime.defaultThreads();
    }

    /** Logical processors this JVM may use (the most a choice of threads makes sense up to). */
    public static int processors() {
        return Runtime.getRuntime().availableProcessors();
    }
}

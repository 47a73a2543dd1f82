package org.layerlens.engine.exec;

import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's process-wide settings: quiet start-up and the number of threads its ops and BLAS use.
 * The thread count is the user's choice ({@code --threads}, the window's settings) or the
 * machine's physical cores; it is set here, after the native library has loaded, so no relaunch
 * with OMP_NUM_THREADS is needed.
 */
public final class Nd4jRuntime {
    private static volatile boolean started;
    private static volatile int threads = defaultThreads();

    private Nd4jRuntime() {
    }

    /** Physical cores when the OS tells them (Linux: distinct core ids), else the logical count. */
    public static int defaultThreads() {
        String env = System.getenv("OMP_NUM_THREADS");
        if (env != null && env.matches("\\d+") && Integer.parseInt(env) > 0) {
            return Integer.parseInt(env);
        }
        return PhysicalCores.count();
    }

    /** Sets how many threads each ND4J op may use (1 .. 256). */
    public static synchronized void setThreads(int n) {
        if (n < 1 || n > 256) {
            throw new IllegalArgumentException("threads must be between 1 and 256, not " + n);
        }
        threads = n;
        if (started) {
            apply();
        }
    }

    public static int threads() {
        return threads;
    }

    static synchronized void init() {
        if (started) {
            return;
        }
        if (System.getProperty("org.nd4j.log.initialization") == null) {
            System.setProperty("org.nd4j.log.initialization", "false");
        }
        // before the native library loads: waiting OpenMP threads spin briefly, then sleep
        NativeEnvironment.setIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        NativeEnvironment.setIfAbsent("GOMP_SPINCOUNT", "30000");
        Nd4j.create(1).close(); // loads the backend
        started = true;
        apply();
    }

    /**
     * OpenMP's thread count belongs to each thread ({@link #apply} sets the caller's only): a pass
     * sets its own thread's before its first op, so that passes on worker threads use the chosen
     * count, not OpenMP's default of every logical CPU.
     */
    static void applyToCallingThread() {
        Integer share = SHARE.get();
        org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps()
                .setOmpNumThreads(share == null ? threads : Math.min(share, threads));
    }

    /** The calling thread's share of the threads while it runs one of several passes side by side; none: all. */
    private static final ThreadLocal<Integer> SHARE = new ThreadLocal<>();

    /**
     * Runs {@code work} with the passes the calling thread runs using at most {@code n} of the
     * engine's threads (OpenMP's count is each thread's own), so that two passes side by side on
     * two threads share the cores instead of each spreading over all of them.
     */
    public static <T> T withShare(int n, java.util.function.Supplier<T> work) {
        Integer before = SHARE.get();
        SHARE.set(Math.max(1, n));
        try {
            return work.get();
        } finally {
            if (before == null) {
                SHARE.remove();
            } else {
                SHARE.set(before);
            }
        }
    }

    /**
     * libnd4j has three thread pools: its own (maxThreads), OpenMP regions in some ops, and
     * OpenBLAS. All three are set: OpenMP left at its default spins a thread per core, which on
     * a loaded machine stalled each op for milliseconds.
     */
    private static void apply() {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }
}

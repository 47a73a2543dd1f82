package org.layerlens.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;

/**
 * Synchronisation for tests that hold a job at a point of the production code they cannot put a
 * latch into: instead of sleeping and hoping the job got there, they wait (bounded) until a
 * thread is seen there.
 */
public final class TestThreads {
    private TestThreads() {
    }

    /**
     * Waits up to {@code seconds} until some thread is BLOCKED entering a {@code synchronized}
     * block or method of an instance of {@code monitor} (e.g. a job waiting in
     * {@code Once.get()} for the value another job is computing); fails with {@code what} if none
     * is seen by then.
     */
    public static void awaitBlockedOn(Class<?> monitor, int seconds, String what) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (blockedOn(monitor) != null) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("timed out after " + seconds + " s waiting for a thread blocked on a "
                + monitor.getSimpleName() + ": " + what);
    }

    /** A thread BLOCKED on a monitor of class {@code monitor} now, or null. */
    public static ThreadInfo blockedOn(Class<?> monitor) {
        for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            if (t != null && t.getThreadState() == Thread.State.BLOCKED && t.getLockInfo() != null
                    && t.getLockInfo().getClassName().equals(monitor.getName())) {
                return t;
            }
        }
        return null;
    }

    /**
     * Waits for each thread of this JVM named {@code name} to end (at most {@code seconds} in
     * all) and returns how many were still alive then: a run's pool threads, after the call that
     * shut the pool down returned.
     */
    public static int awaitEnd(String name, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        int alive = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name) && t != Thread.currentThread()) {
                t.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
                if (t.isAlive()) {
                    alive++;
                }
            }
        }
        return alive;
    }
}

package org.layerlens.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.layerlens.engine.TestThreads;
import org.layerlens.engine.exec.CancelledException;

/**
 * {@link Workers}: results in index order whatever thread ran them, the calling thread one of the
 * workers, scratch made once per thread, the first failure rethrown as it was and nothing running
 * once the call has returned, a stop honoured before the next task.
 */
class WorkersTest {
    @Test
    void resultsComeBackInOrderFromEveryThreadWithScratchOfItsOwn() throws Exception {
        Set<String> threads = Collections.synchronizedSet(new HashSet<>());
        AtomicInteger scratches = new AtomicInteger();
        CountDownLatch both = new CountDownLatch(2);
        List<Integer> got = Workers.run("test-workers", 200, 2, () -> {
            scratches.incrementAndGet();
            return new int[1];
        }, (counter, i) -> {
            threads.add(Thread.currentThread().getName());
            counter[0]++;
            if (i < 2) { // the first two tasks wait for each other: both threads take part
                both.countDown();
                assertTrue(both.await(30, TimeUnit.SECONDS));
            }
            return i * i;
        }, null);
        assertEquals(200, got.size());
        for (int i = 0; i < got.size(); i++) {
            assertEquals(i * i, got.get(i));
        }
        assertTrue(threads.contains(Thread.currentThread().getName()), "the caller works too: " + threads);
        assertTrue(threads.contains("test-workers"), threads.toString());
        assertEquals(2, scratches.get(), "one scratch per thread");
        assertEquals(List.of(), Workers.run("test-workers", 0, 4, null, (s, i) -> i, null));
    }

    @Test
    void theFirstFailureStopsTheOthersAndNothingRunsAfterTheCall() throws Exception {
        IOException boom = new IOException("image 7 unreadable");
        AtomicInteger started = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        AtomicBoolean ranLate = new AtomicBoolean();
        AtomicBoolean returned = new AtomicBoolean();
        IOException e = assertThrows(IOException.class, () -> Workers.run("test-workers", 1000, 2, null, (s, i) -> {
            started.incrementAndGet();
            running.incrementAndGet();
            try {
                if (returned.get()) {
                    ranLate.set(true);
                }
                if (i == 7) {
                    throw boom;
                }
                Thread.sleep(2);
                return i;
            } finally {
                running.decrementAndGet();
            }
        }, null));
        returned.set(true);
        assertSame(boom, e, "rethrown as it was");
        assertEquals(0, running.get(), "every task finished before the call returned");
        assertTrue(started.get() < 100, started.get() + " tasks started: the others stopped after the failure");
        // a task that started late would run on one of the run's helper threads, which end once
        // their pool is shut down: check when they have ended, not after a sleep
        assertEquals(0, TestThreads.awaitEnd("test-workers", 30), "the run's helper threads ended");
        assertFalse(ranLate.get(), "a task ran after the call returned");
    }

    @Test
    void aStopIsHonouredBeforeTheNextTask() {
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        assertThrows(CancelledException.class, () -> Workers.run("test-workers", 500, 2, null, (s, i) -> {
            seen.add(i);
            return i;
        }, () -> seen.size() >= 10));
        assertTrue(seen.size() >= 10 && seen.size() <= 12, seen.size() + " tasks ran: at most one per thread after the stop");
    }

    @Test
    void anInterruptOfTheCallerStopsTheRunAndIsKept() {
        Thread caller = Thread.currentThread();
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger ranBeforeInterrupt = new java.util.concurrent.atomic.AtomicInteger();
        try {
            assertThrows(CancelledException.class, () -> Workers.run("test-workers", 500, 2, null, (s, i) -> {
                seen.add(i);
                if (i == 20) {
                    // counted when it happens: task 20 may run after others with higher numbers
                    // (a thread can be descheduled between taking a number and running it)
                    ranBeforeInterrupt.set(seen.size());
                    caller.interrupt();
                }
                return i;
            }, null));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
            int after = seen.size() - ranBeforeInterrupt.get();
            assertTrue(after <= 2, after + " tasks ran after the interrupt: at most the one each other thread had begun");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aScratchThatCannotBeMadeFailsTheRunAfterEveryThreadStopped() {
        AtomicInteger made = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Workers.run("test-workers", 100, 2, () -> {
            if (made.incrementAndGet() == 2) {
                throw new IllegalStateException("no memory for the second thread's scratch");
            }
            return new int[1];
        }, (s, i) -> i, null));
        assertTrue(e.getMessage().contains("second thread"), e.getMessage());
    }
}

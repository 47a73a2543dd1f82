package org.layerlens.engine.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.layerlens.engine.api.EngineThreads;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.exec.CancelledException;
import org.layerlens.engine.exec.ValueView;

/**
 * Measures many modules of two inspections, {@link LayerMetrics} each, on the engine's threads
 * (modules are independent, and their figures are the bulk of a compare: 38 million values a side
 * for the default model). Outputs are measured in native memory ({@link NativeFigures}), where
 * the passes hold them or computed again there; a mirrored B, flipped back first, is read into two
 * arrays of the thread's own. Results come back in the order asked.
 */
final class PairMeasure {
    private PairMeasure() {
    }

    /**
     * The figures of B's output against A's at each path; with {@code mirrorB}, B's output is
     * flipped back along its width first (B saw the mirror image).
     */
    static LayerMetrics[] all(Inspection a, Inspection b, List<String> paths, boolean mirrorB,
                              BooleanSupplier cancelled) {
        LayerMetrics[] out = new LayerMetrics[paths.size()];
        int threads = Math.max(1, Math.min(EngineThreads.get(), paths.size()));
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            // arrays only for a mirrored B, flipped back in Java; anything else is measured in native memory
            float[] bufA = mirrorB ? new float[a.largestOutput()] : null;
            float[] bufB = mirrorB ? new float[b.largestOutput()] : null;
            int i;
            while ((i = next.getAndIncrement()) < out.length) {
                if (cancelled != null && cancelled.getAsBoolean()) {
                    throw new CancelledException();
                }
                out[i] = measure(a, b, paths.get(i), mirrorB, bufA, bufB);
            }
        };
        if (threads == 1) {
            worker.run();
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "layerlens-compare");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> helpers = new ArrayList<>();
        RuntimeException failure = null;
        try {
            for (int t = 1; t < threads; t++) {
                helpers.add(pool.submit(worker));
            }
            worker.run(); // the calling thread is one of them
        } catch (RuntimeException e) {
            failure = e;
        }
        if (failure != null) {
            next.set(out.length); // the others stop after the module they are on
        }
        // every helper has finished before this returns: the caller closes the inspections next
        for (Future<?> f : helpers) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    next.set(out.length);
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) {
                    next.set(out.length);
                    failure = new CancelledException();
                }
            }
        }
        pool.shutdown();
        if (failure != null) {
            throw failure;
        }
        return out;
    }

    private static LayerMetrics measure(Inspection a, Inspection b, String path, boolean mirrorB,
                                        float[] bufA, float[] bufB) {
        if (!mirrorB) {
            try (ValueView x = a.outputView(path); ValueView y = b.outputView(path)) {
                return NativeFigures.of(x.values(), y.values(), x.values().capacity() / 4);
            }
        }
        // B's output is flipped back along its width first: read as arrays
        int n = a.readInto(path, bufA);
        b.readInto(path, bufB);
        int[] s = b.event(path).outputShape();
        Mirror.flipWidth(bufB, s[1], s[2], s[0]);
        return LayerMetrics.of(bufA, bufB, n);
    }
}

package org.layerlens.engine.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.layerlens.engine.RandomModels;
import org.layerlens.engine.TestData;
import org.layerlens.engine.arch.Architectures;
import org.layerlens.engine.graph.Graph;

/**
 * Kernels are bound to an arena once, their ND4J ops built on its views, and run on every pass
 * over it ({@link Kernel#bind}). A pass on a reused arena (after passes over other inputs, after
 * a cancelled pass, with other threads running passes on other arenas of the same program) must
 * compute what the first pass on a fresh arena computes: every module's output of the inspect
 * pass (kept or computed again) and the fast pass's heads. MobileNetV2 SSD-Lite has the
 * pointwise, depthwise and dense convolutions, residual adds and relu6; MobileNetV3-Small
 * hardswish in place, squeeze-excite (global pool, per-channel multiply) and hardsigmoid.
 */
class ArenaReuseTest {
    private static final int THREADS = 3;

    @ParameterizedTest
    @ValueSource(strings = {"mb2-ssd-lite", "mb3-small-ssd-lite"})
    void reusedArenasComputeWhatFreshOnesDo(String arch) throws Exception {
        Graph g = RandomModels.of(Architectures.get(arch), 5).graph();
        Random r = new Random(17);
        float[][] inputs = new float[THREADS][(int) g.input().elements()];
        for (float[] in : inputs) {
            for (int i = 0; i < in.length; i++) {
                in[i] = (float) r.nextGaussian();
            }
        }
        try (Executor shared = new Executor(g)) {
            AtomicInteger ops = new AtomicInteger();
            assertThrows(CancelledException.class, () -> shared.fast(inputs[1], () -> ops.incrementAndGet() > 30));
            ops.set(0);
            assertThrows(CancelledException.class,
                    () -> shared.inspect(inputs[1], null, () -> ops.incrementAndGet() > 30));
            // the cancelled passes' arenas are the ones these passes get (a pool of one each)
            compare(g, shared, inputs[0]);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> jobs = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    for (int k = 0; k < 2; k++) {
                        float[] in = inputs[(t + k) % THREADS];
                        jobs.add(pool.submit(() -> {
                            compare(g, shared, in);
                            return null;
                        }));
                    }
                }
                for (Future<?> f : jobs) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    /** Both passes of {@code shared} on {@code in} against those of a new executor (fresh arenas). */
    private static void compare(Graph g, Executor shared, float[] in) {
        try (Executor fresh = new Executor(g)) {
            Map<String, float[]> want = fresh.fast(in, null);
            Map<String, float[]> got = shared.fast(in, null);
            assertEquals(want.keySet(), got.keySet());
            for (String head : want.keySet()) {
                TestData.sameArithmetic("fast " + head, want.get(head), got.get(head));
            }
            try (Activations w = fresh.inspect(in, null, null); Activations a = shared.inspect(in, null, null)) {
                int n = 0;
                for (Graph.ModuleRun m : g.modules()) {
                    TestData.sameArithmetic("inspect " + m.path(), w.read(m.output()), a.read(m.output()));
                    n++;
                }
                assertTrue(n > 50, n + " modules");
            }
        }
    }
}

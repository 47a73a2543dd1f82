package org.layerlens.engine.exec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.layerlens.engine.RandomModels;
import org.layerlens.engine.TestData;
import org.layerlens.engine.arch.Architectures;
import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.Op;

/**
 * {@link Mode#INSPECT_ALL} keeps in a buffer of its own what {@link Mode#INSPECT} computes again
 * when read (batch norm, activations): every module's output must come out the same both ways,
 * and the plan must keep every value (none left to be recomputed). MobileNetV3-Small adds
 * hardswish in place and squeeze-excite to MobileNetV2's relu6 and residual adds.
 */
class InspectAllTest {
    @ParameterizedTest
    @ValueSource(strings = {"mb2-ssd-lite", "mb3-small-ssd-lite"})
    void keepsEveryValueAndReadsWhatInspectReads(String arch) throws Exception {
        Graph g = RandomModels.of(Architectures.get(arch), 5).graph();
        float[] in = new float[(int) g.input().elements()];
        Random r = new Random(3);
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) r.nextGaussian();
        }
        try (Executor e = new Executor(g)) {
            Graph lowered = e.compiled(Mode.INSPECT_ALL);
            Plan all = Plan.of(lowered, Mode.INSPECT_ALL);
            Plan some = Plan.of(lowered, Mode.INSPECT);
            int recomputed = 0;
            for (Op op : lowered.ops()) {
                assertTrue(all.kept()[op.output().id()], op.path() + " not kept");
                recomputed += some.kept()[op.output().id()] ? 0 : 1;
            }
            assertTrue(recomputed > 20, recomputed + " values recomputed by inspect: the two modes would not differ");
            assertTrue(e.arenaBytes(Mode.INSPECT_ALL) > e.arenaBytes(Mode.INSPECT));

            try (Activations want = e.inspect(Mode.INSPECT, in, null, null);
                 Activations got = e.inspect(Mode.INSPECT_ALL, in, null, null)) {
                int n = 0;
                for (Graph.ModuleRun m : g.modules()) {
                    TestData.sameArithmetic(m.path(), want.read(m.output()), got.read(m.output()));
                    n++;
                }
                assertTrue(n > 50, n + " modules");
            }
            AtomicInteger ops = new AtomicInteger();
            assertThrows(CancelledException.class,
                    () -> e.inspect(Mode.INSPECT_ALL, in, null, () -> ops.incrementAndGet() > 30));
            assertThrows(IllegalArgumentException.class, () -> e.inspect(Mode.FAST, in, null, null));
            assertFalse(Mode.FAST.inspects());
        }
    }
}

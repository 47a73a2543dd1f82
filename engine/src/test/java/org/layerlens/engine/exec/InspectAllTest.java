package org.layerlens.engine.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.layerlens.engine.RandomModels;
import org.layerlens.engine.TestData;
import org.layerlens.engine.arch.Architectures;
import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.Op;

/**
 * {@link Mode#INSPECT_ALL} keeps in a buffer of its own every value of the unfused graph;
 * {@link Mode#INSPECT} runs the fused graph (batch norm folded, activations and residual adds
 * fused) and computes a convolution's own output, its batch norm's and anything else fused away
 * again from kept inputs when read. Every module's output must come out the same both ways within
 * the fused arithmetic's distance from the unfused one on these random-weight networks
 * ({@link #FUSED_TOLERANCE}; against PyTorch on real checkpoints the inspect pass is held to the
 * project's 1e-4 by the parity tests), and a module must not be announced before its fused op has run.
 * MobileNetV3-Small adds hardswish in place and squeeze-excite to MobileNetV2's relu6 and residual adds.
 */
class InspectAllTest {
    /**
     * Fused against unfused arithmetic on these random-weight networks (batch norms of random
     * scale, Gaussian input), as a share of max(1, max|x|): measured worst 2.6e-4 (mb2-ssd-lite,
     * a head) and 3.3e-5 (mb3-small); against PyTorch on real checkpoints the inspect pass stays
     * within the project's 1e-4 (ArchitectureParityTest, per module).
     */
    static final double FUSED_TOLERANCE = 1e-3;

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
            Graph fused = e.compiled(Mode.INSPECT);
            Plan all = Plan.of(lowered, Mode.INSPECT_ALL);
            Plan some = Plan.of(fused, Mode.INSPECT);
            int recomputed = 0;
            int convs = 0;
            for (Op op : lowered.ops()) {
                assertTrue(all.kept()[op.output().id()], op.path() + " not kept");
                boolean again = !some.kept()[op.output().id()];
                recomputed += again ? 1 : 0;
                convs += again && op instanceof Op.Conv ? 1 : 0;
            }
            assertTrue(fused.ops().size() < lowered.ops().size() / 2, "inspect runs the fused graph");
            assertTrue(convs > 20, convs + " convolution outputs computed again when read");
            assertTrue(recomputed > 40, recomputed + " values recomputed by inspect: the two modes would not differ");
            assertTrue(e.arenaBytes(Mode.INSPECT_ALL) > e.arenaBytes(Mode.INSPECT));

            List<String> announced = new ArrayList<>();
            Map<String, Long> time = new HashMap<>();
            Set<String> fusedAway = new HashSet<>();
            try (Activations want = e.inspect(Mode.INSPECT_ALL, in, null, null);
                 Activations got = e.inspect(Mode.INSPECT, in, (run, nanos, folded) -> {
                     announced.add(run.path());
                     time.put(run.path(), nanos);
                     if (folded) {
                         fusedAway.add(run.path());
                     }
                 }, null)) {
                int n = 0;
                double worst = 0;
                String where = null;
                for (Graph.ModuleRun m : g.modules()) {
                    double d = relativeDifference(got.read(m.output()), want.read(m.output()));
                    // a NaN module is the worst of all and stays so (d > worst is false for a NaN)
                    if (!Double.isNaN(worst) && !(d <= worst)) {
                        worst = d;
                        where = m.path();
                    }
                    n++;
                }
                System.out.printf("%s: inspect (fused) against inspect-all, worst %s at %.3g of max(1, max|x|)%n", arch, where, worst);
                assertTrue(worst <= FUSED_TOLERANCE, where + ": " + worst);
                assertTrue(n > 50, n + " modules");
            }
            // the inspect pass computes the heads with the fast pass's own arithmetic
            try (Activations ins = e.inspect(Mode.INSPECT, in, null, null)) {
                Map<String, float[]> fast = e.fast(in, null);
                for (Map.Entry<String, float[]> h : fast.entrySet()) {
                    TestData.sameArithmetic("head " + h.getKey(), h.getValue(), ins.outputs().get(h.getKey()));
                }
            }
            // every module announced once, after its children, and when the op it was fused into
            // has run: a convolution's time is that op's (its batch norm and activation have none)
            assertEquals(g.modules().size(), new HashSet<>(announced).size(), "every module announced once");
            for (Graph.ModuleRun m : g.modules()) {
                int at = announced.indexOf(m.path());
                for (Graph.ModuleRun child : g.modules()) {
                    if (!child.path().equals(m.path()) && g.style().within(child.path(), m.path())) {
                        assertTrue(announced.indexOf(child.path()) < at, child.path() + " before " + m.path());
                    }
                }
                if (m.type().equals("Conv2d")) {
                    assertTrue(time.get(m.path()) > 0, m.path() + " announced before its op ran");
                    assertFalse(fusedAway.contains(m.path()), m.path() + " is where the others went");
                }
                if (fusedAway.contains(m.path())) {
                    assertEquals(0L, time.get(m.path()), m.path() + " fused: its time is its convolution's");
                }
            }
            long norms = g.modules().stream().filter(m -> m.type().equals("BatchNorm2d")).count();
            assertTrue(g.modules().stream().filter(m -> m.type().equals("BatchNorm2d"))
                    .allMatch(m -> fusedAway.contains(m.path())), "every batch norm folded: " + fusedAway);
            assertTrue(norms > 20 && fusedAway.size() > norms, fusedAway.size() + " fused modules");
            AtomicInteger ops = new AtomicInteger();
            assertThrows(CancelledException.class,
                    () -> e.inspect(Mode.INSPECT_ALL, in, null, () -> ops.incrementAndGet() > 30));
            assertThrows(IllegalArgumentException.class, () -> e.inspect(Mode.FAST, in, null, null));
            assertFalse(Mode.FAST.inspects());
        }
    }

    /** {@code max|a - b| / max(1, max|b|)}. */
    private static double relativeDifference(float[] a, float[] b) {
        assertEquals(b.length, a.length);
        double max = 1;
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(b[i]));
            double d = Math.abs(a[i] - b[i]);
            diff = d > diff || Double.isNaN(d) ? d : diff;
        }
        return diff / max;
    }
}

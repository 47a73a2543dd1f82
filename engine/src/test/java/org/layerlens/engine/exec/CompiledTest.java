package org.layerlens.engine.exec;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.layerlens.engine.RandomModels;
import org.layerlens.engine.arch.Architectures;
import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.Op;

/**
 * The fast and inspect passes run one compilation of the fused graph, and that compilation keeps
 * no convolution weights on the Java heap: its kernels hold them in native memory. Before, each
 * mode fused the graph again and every compiled op kept its folded weights, two copies of every
 * folded convolution on the heap besides the checkpoint's own (the default model's live heap after
 * a full collection: 50 MB, now 26 MB; the collector sizes its committed heap, and so how far a
 * long run's resident size climbs, from it).
 */
class CompiledTest {
    @Test
    void fastAndInspectShareOneCompilationWithoutHeapWeights() throws Exception {
        Graph traced = RandomModels.of(Architectures.get("mb2-ssd-lite"), 5).graph();
        try (Executor e = new Executor(traced)) {
            Graph fast = e.compiled(Mode.FAST);
            assertSame(fast, e.compiled(Mode.INSPECT), "inspect compiles the fused graph a second time");
            Graph all = e.compiled(Mode.INSPECT_ALL);
            assertNotSame(fast, all);
            int convs = 0;
            for (Graph g : new Graph[] {fast, all}) {
                for (Op op : g.ops()) {
                    if (op instanceof Op.Conv c) {
                        assertTrue(c.weight() == null, c.path() + ": the compiled op still holds its weights");
                        assertTrue(c.bias() == null, c.path() + ": the compiled op still holds its bias");
                        convs++;
                    }
                }
            }
            assertTrue(convs > 100, convs + " convolutions compiled");
            // the traced graph, which the window and the analyses read weights from, keeps them
            for (Op op : traced.ops()) {
                if (op instanceof Op.Conv c) {
                    assertTrue(c.weight() != null && c.weight().length > 0, c.path() + " lost its weights");
                }
            }
        }
    }
}

package org.layerlens.engine.exec;

import java.util.ArrayList;
import java.util.List;

import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.Op;

/**
 * A traced graph made runnable once: lowered ({@link Lowering}), fused or not ({@link Fusion}),
 * and its ops compiled to kernels, whose weights are converted to their native layout here. The
 * fast and inspect passes run the same fused graph, so they share one: a second fusion and a
 * second set of kernels held a second copy of every folded weight on the Java heap and in native
 * memory (the default model: 12 MB each), which the collector then had to keep room for.
 *
 * @param lowered the traced graph after {@link Lowering}: the unfused ops that values fused away
 *                are computed again with
 * @param graph   what runs: {@code lowered} itself or its fusion
 * @param kernels one per op of {@code graph}, in order (shared: bound to each arena anew)
 * @param keepNaN the model holds NaN or infinite parameters: its kernels let NaN through as
 *                PyTorch does ({@link Kernels#of}); recomputed values are made the same way
 */
record Compiled(Graph lowered, Graph graph, Kernel[] kernels, boolean keepNaN) {
    /** {@code lowered} compiled as it is. */
    static Compiled unfused(Graph lowered) {
        return of(lowered, lowered);
    }

    /** {@code lowered} with batch norms folded and activations and residual adds fused, compiled. */
    static Compiled fused(Graph lowered) {
        return of(lowered, Fusion.fuse(lowered));
    }

    private static Compiled of(Graph lowered, Graph graph) {
        Kernel[] kernels = new Kernel[graph.ops().size()];
        boolean keepNaN = !finite(lowered);
        List<Op> shapes = new ArrayList<>(kernels.length);
        for (int i = 0; i < kernels.length; i++) {
            Op op = graph.ops().get(i);
            kernels[i] = Kernels.of(op, keepNaN);
            shapes.add(op instanceof Op.Conv c ? c.withoutWeights() : op);
        }
        // the kernels hold the weights now; the graph kept for the plan and the module timings
        // keeps the ops' shapes only, or every folded convolution's weights stay on the heap twice
        // (the default model: live heap after a full collection 37 -> 26 MB)
        return new Compiled(lowered, graph.withOps(shapes, graph.modules(), graph.valueCount()), kernels, keepNaN);
    }

    /** Whether every parameter of the unfused graph's ops is finite (a batch norm's too, before folding). */
    private static boolean finite(Graph lowered) {
        for (Op op : lowered.ops()) {
            float[][] parameters = op instanceof Op.Conv c ? new float[][] {c.weight(), c.bias()}
                    : op instanceof Op.Affine a ? new float[][] {a.scale(), a.shift()}
                    : op instanceof Op.Dense d ? new float[][] {d.weight(), d.bias()} : new float[0][];
            for (float[] p : parameters) {
                for (int i = 0; p != null && i < p.length; i++) {
                    if (!Float.isFinite(p[i])) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}

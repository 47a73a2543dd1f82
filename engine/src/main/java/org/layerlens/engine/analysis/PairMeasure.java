package org.layerlens.engine.analysis;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.layerlens.engine.api.EngineThreads;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.Workers;
import org.layerlens.engine.exec.ValueView;

/**
 * Measures many modules of two inspections, {@link LayerMetrics} each, on the engine's threads
 * (modules are independent, and their figures are the bulk of a compare: 38 million values a side
 * for the default model). Outputs are measured in native memory ({@link NativeFigures}), where
 * the passes hold them or computed again there; a mirrored B is flipped back first in memory of
 * the thread's own ({@link Workers}). Results come back in the order asked.
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
        Supplier<Scratch> scratch = () -> new Scratch(new NativeFigures(), mirrorB ? new Flipped(b.largestOutput()) : null);
        return Workers.run("layerlens-compare", paths.size(), EngineThreads.get(), scratch,
                (own, i) -> measure(a, b, paths.get(i), mirrorB, own), cancelled)
                .toArray(new LayerMetrics[0]);
    }

    private static LayerMetrics measure(Inspection a, Inspection b, String path, boolean mirrorB, Scratch own) {
        try (ValueView x = a.outputView(path)) {
            if (!mirrorB) {
                try (ValueView y = b.outputView(path)) {
                    return own.figures().measure(x.values(), y.values(), x.values().capacity() / 4);
                }
            }
            Flipped flipped = own.flipped();
            int n = b.readInto(path, flipped.values);
            int[] s = b.event(path).outputShape();
            Mirror.flipWidth(flipped.values, s[1], s[2], s[0]);
            flipped.nativeCopy.asFloatBuffer().put(flipped.values, 0, n);
            return own.figures().measure(x.values(), flipped.nativeCopy, n);
        }
    }

    /** A thread's own: the figures' scratch block, and room for a mirrored B's outputs (null when B is not). */
    private record Scratch(NativeFigures figures, Flipped flipped) {
    }

    /**
     * A thread's room for B's output flipped back along its width: flipped in a Java array, then
     * copied to native memory and measured there like any other output. Before, both sides were
     * copied into arrays and measured by the scalar {@link LayerMetrics#of}: the default model's
     * 223 outputs took 192 ms at one thread, 83 ms at two; now 96 and 69 ms (medians of 10).
     */
    private static final class Flipped {
        final float[] values;
        final ByteBuffer nativeCopy;

        Flipped(int floats) {
            values = new float[floats];
            nativeCopy = ByteBuffer.allocateDirect(4 * floats).order(ByteOrder.nativeOrder());
        }
    }
}

package org.layerlens.engine.analysis;

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
 * the passes hold them or computed again there; a mirrored B, flipped back first, is read into two
 * arrays of the thread's own ({@link Workers}). Results come back in the order asked.
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
        // arrays only for a mirrored B, flipped back in Java; anything else is measured in native memory
        Supplier<float[][]> buffers = () -> mirrorB
                ? new float[][] {new float[a.largestOutput()], new float[b.largestOutput()]}
                : new float[2][];
        return Workers.run("layerlens-compare", paths.size(), EngineThreads.get(), buffers,
                (buf, i) -> measure(a, b, paths.get(i), mirrorB, buf[0], buf[1]), cancelled)
                .toArray(new LayerMetrics[0]);
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

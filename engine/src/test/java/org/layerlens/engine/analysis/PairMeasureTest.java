package org.layerlens.engine.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.layerlens.engine.TestData;
import org.layerlens.engine.api.EngineThreads;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.exec.CancelledException;
import org.layerlens.engine.exec.ValueView;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;

/**
 * The figures of a compare are measured on the engine's threads, modules shared among them, and
 * where both passes hold an output, by OpenCV over the native memory ({@link NativeFigures}): each
 * module's figures must be those of {@link LayerMetrics#of} on the two outputs read as arrays,
 * within float rounding, whatever the thread count and whichever inspect mode made the outputs
 * (held, or computed again when read), and a cancel must stop the run.
 */
class PairMeasureTest {
    @Test
    void everyThreadCountAndPathGivesEachModulesOwnFigures() throws IOException {
        Model m = Model.open(TestData.reference("mb2-ssd-lite-random-4.pth"), null);
        LoadedImage a = Images.read(TestData.sampleImage("coffee.png"));
        LoadedImage b = Images.read(TestData.sampleImage("astronaut.png"));
        int before = EngineThreads.get();
        try (Inspection some = m.inspect(a, null, null); Inspection all = m.inspectAll(a, null, null);
             Inspection y = m.inspectAll(b, null, null)) {
            List<String> paths = new ArrayList<>(y.events().keySet());
            paths.removeIf(p -> y.layer(p) == null);
            assertTrue(paths.size() > 100, paths.size() + " modules");
            int computed = 0;
            for (String p : paths) {
                try (ValueView v = some.outputView(p); ValueView w = all.outputView(p)) {
                    computed += v.computed() ? 1 : 0;
                    assertFalse(w.computed(), p + " is held by inspect-all");
                    assertEquals(4 * y.layer(p).values.length, v.values().capacity(), p);
                }
            }
            assertTrue(computed > 20 && computed < paths.size(),
                    computed + " of " + paths.size() + " computed again for inspect's views: both kinds of view taken");
            for (Inspection x : new Inspection[] {some, all}) {
                for (int threads : new int[] {1, 3}) {
                    EngineThreads.set(threads);
                    LayerMetrics[] got = PairMeasure.all(x, y, paths, false, null);
                    for (int i = 0; i < paths.size(); i++) {
                        LayerMetrics want = LayerMetrics.of(x.layer(paths.get(i)).values, y.layer(paths.get(i)).values);
                        close(want, got[i], threads + " threads, " + paths.get(i));
                    }
                }
            }
            AtomicInteger asked = new AtomicInteger();
            assertThrows(CancelledException.class,
                    () -> PairMeasure.all(all, y, paths, false, () -> asked.incrementAndGet() > 20));
        } finally {
            EngineThreads.set(before);
        }
    }

    @Test
    void nativeFiguresOfEqualAndBrokenOutputs() {
        float[] v = {1, -2, 3, 4.5f, 0, 6, -7, 8};
        LayerMetrics same = NativeFigures.of(direct(v), direct(v), v.length);
        assertEquals(0, same.maxAbs());
        assertEquals(1, same.cosine(), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, same.sqnrDb());
        float[] w = v.clone();
        w[5] = Float.NaN;
        LayerMetrics broken = NativeFigures.of(direct(v), direct(w), v.length);
        assertTrue(Double.isNaN(broken.maxAbs()));
        assertTrue(broken.diverges(1));
        w[5] = 6.5f;
        close(LayerMetrics.of(v, w), NativeFigures.of(direct(v), direct(w), v.length), "one value changed");
    }

    @Test
    void nativeFiguresOverSeveralBlocksAndAPartOfOne() {
        // two whole blocks and a part of a third, with a NaN-free spread of magnitudes and one
        // value far apart in the last, partial block: the blocks' sums and maxima are joined
        java.util.Random r = new java.util.Random(5);
        float[] v = new float[2 * NativeFigures.BLOCK + 1234];
        float[] w = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(4) - 1));
            w[i] = v[i] + (float) (r.nextGaussian() * 1e-3);
        }
        w[v.length - 7] += 40;
        v[NativeFigures.BLOCK + 3] = -900; // the largest |a|, in the second block, equal in both
        w[NativeFigures.BLOCK + 3] = -900;
        LayerMetrics want = LayerMetrics.of(v, w);
        LayerMetrics got = NativeFigures.of(direct(v), direct(w), v.length);
        close(want, got, "three blocks");
        // OpenCV subtracts in float, LayerMetrics.of in double
        assertEquals(want.maxAbs(), got.maxAbs(), 1e-6 * want.maxAbs(), "the largest difference, in the last block");
        assertTrue(got.maxAbs() > 39, "the largest difference is the one in the last block: " + got.maxAbs());
        assertEquals(want.maxAbs() / 900, got.relErr(), 1e-6 * want.relErr(), "relative error against the second block's |a|");
        w[v.length - 3] = Float.NaN;
        assertTrue(Double.isNaN(NativeFigures.of(direct(v), direct(w), v.length).maxAbs()), "a NaN in the part block");
        w[v.length - 3] = v[v.length - 3];
        w[5] = Float.NaN;
        assertTrue(Double.isNaN(NativeFigures.of(direct(v), direct(w), v.length).maxAbs()), "a NaN in the first block");
        assertEquals(0, NativeFigures.of(direct(v), direct(w), 0).maxAbs(), "no values");
    }

    private static ByteBuffer direct(float[] v) {
        ByteBuffer b = ByteBuffer.allocateDirect(4 * v.length).order(ByteOrder.nativeOrder());
        b.asFloatBuffer().put(v);
        return b;
    }

    /** Float rounding apart (OpenCV sums blocks of floats into double): 1e-6 relative, cosine 1e-6, SQNR 1e-4 dB. */
    private static void close(LayerMetrics want, LayerMetrics got, String what) {
        assertEquals(want.maxAbs(), got.maxAbs(), 1e-6 * Math.max(1e-30, want.maxAbs()), what + " max");
        assertEquals(want.meanAbs(), got.meanAbs(), 1e-6 * Math.max(1e-30, want.meanAbs()), what + " mean");
        assertEquals(want.relErr(), got.relErr(), 1e-6 * Math.max(1e-30, want.relErr()), what + " relErr");
        assertEquals(want.cosine(), got.cosine(), 1e-6, what + " cosine");
        assertEquals(want.sqnrDb(), got.sqnrDb(), 1e-4, what + " sqnr");
    }
}

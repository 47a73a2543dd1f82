package org.layerlens.engine.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.layerlens.engine.TestData;
import org.layerlens.engine.api.EngineThreads;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.exec.CancelledException;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;

/**
 * The figures of a compare are measured on the engine's threads, modules shared among them: each
 * module's figures must be those of {@link LayerMetrics#of} on the two outputs read one by one,
 * whatever the thread count and whichever inspect mode made the outputs (kept or computed again
 * when read), and a cancel must stop the run.
 */
class PairMeasureTest {
    @Test
    void everyThreadCountGivesEachModulesOwnFigures() throws IOException {
        Model m = Model.open(TestData.reference("mb2-ssd-lite-random-4.pth"), null);
        LoadedImage a = Images.read(TestData.sampleImage("coffee.png"));
        LoadedImage b = Images.read(TestData.sampleImage("astronaut.png"));
        int before = EngineThreads.get();
        try (Inspection x = m.inspect(a, null, null); Inspection y = m.inspectAll(b, null, null)) {
            List<String> paths = new ArrayList<>(x.events().keySet());
            paths.removeIf(p -> x.layer(p) == null);
            assertTrue(paths.size() > 100, paths.size() + " modules");
            for (int threads : new int[] {1, 3}) {
                EngineThreads.set(threads);
                LayerMetrics[] got = PairMeasure.all(x, y, paths, false, null);
                for (int i = 0; i < paths.size(); i++) {
                    LayerData la = x.layer(paths.get(i));
                    LayerData lb = y.layer(paths.get(i));
                    assertEquals(LayerMetrics.of(la.values, lb.values), got[i], threads + " threads, " + paths.get(i));
                }
            }
            AtomicInteger asked = new AtomicInteger();
            assertThrows(CancelledException.class,
                    () -> PairMeasure.all(x, y, paths, false, () -> asked.incrementAndGet() > 20));
        } finally {
            EngineThreads.set(before);
        }
    }
}

package org.layerlens.engine.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.layerlens.engine.TestData;
import org.layerlens.engine.analysis.Calibration;
import org.layerlens.engine.analysis.Int8Simulation;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.Op;
import org.layerlens.engine.graph.Value;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.io.Npy;

/**
 * The int8 what-if against reference/make_analysis.py's hand-written PyTorch simulation (batch
 * norm folded into the convolutions in float32, weights quantised per channel or per tensor,
 * every remaining op output fake-quantised with the same calibration table).
 * <p>
 * Run freely, the two part ways by more and more grid steps with depth: a value on a rounding
 * edge lands one step apart (ND4J and PyTorch sum in different orders), and in a random-weight
 * network such a step grows from layer to layer. So each fused op is checked on its own, fed the
 * reference's tensors as inputs ("teacher forcing"): its output must then be the reference's to
 * within one grid step, with at most 0.1% of the values a step apart. The free run is printed.
 */
class Int8ParityTest {
    @Test
    void everyFusedOpMatchesTheHandWrittenSimulation() throws Exception {
        String dir = System.getenv().getOrDefault("LAYERLENS_ANALYSIS_DIR", System.getProperty("layerlens.analysis.dir", ""));
        Assumptions.assumeTrue(!dir.isBlank(), "set LAYERLENS_ANALYSIS_DIR (made by reference/make_analysis.py)");
        Path d = Paths.get(dir);
        Model base = Model.open(d.resolve("base.pth"), null);
        Calibration cal = Calibration.read(d.resolve("calibration.json"), Calibration.Choice.MINMAX);
        Set<String> gone = new HashSet<>();
        for (JsonElement e : JsonParser.parseString(Files.readString(d.resolve("int8-gone.json"))).getAsJsonArray()) {
            gone.add(e.getAsString());
        }
        LoadedImage img = Images.read(TestData.sampleImage("coffee.png"));
        float[] input = base.input(img);
        for (Int8Simulation.Weights w : Int8Simulation.Weights.values()) {
            Model q = Int8Simulation.apply(base, cal, w);
            assertEquals(gone, q.notComparable(), "modules folded away, as the reference folds them");
            Path refs = d.resolve(w.key);
            int[] checked = forced(q, input, refs, cal);
            double worst = freeRun(q, img, refs, gone, cal);
            System.out.printf(Locale.ROOT, "%s: %d fused ops fed the reference's inputs, each within 1 grid step "
                    + "(%d of %d values a step apart); run freely the worst module is %.1f steps apart%n", w.key,
                    checked[0], checked[1], checked[2], worst);
        }
    }

    /** Runs the int8 graph op by op, each op's module-output inputs replaced by the reference's; returns {ops, values off, values}. */
    private static int[] forced(Model q, float[] input, Path refs, Calibration cal) throws Exception {
        Graph g = Lowering.lower(q.graph());
        Map<Integer, String> moduleOf = new HashMap<>();
        for (Graph.ModuleRun r : g.modules()) {
            if (!r.path().isEmpty()) {
                moduleOf.putIfAbsent(r.output().id(), r.path());
            }
        }
        Value[] values = new Value[g.valueCount()];
        values[g.input().id()] = g.input();
        for (Op op : g.ops()) {
            values[op.output().id()] = op.output();
        }
        int ops = 0;
        long off = 0;
        long total = 0;
        Set<Integer> checkedValues = new HashSet<>();
        try (Arena a = new Arena(Plan.of(g, Mode.INSPECT), values)) {
            a.write(g.input(), input);
            for (Op op : g.ops()) {
                for (Value in : op.inputs()) {
                    String p = moduleOf.get(in.id());
                    if (p != null) {
                        a.write(in, TestData.nchwToHwc(Npy.read(refs.resolve(p + ".npy"))));
                    }
                }
                Kernels.of(op, false).bind(a).run();
                if (!(op instanceof Op.FakeQuant fq)) {
                    continue;
                }
                String p = moduleOf.get(op.output().id());
                float[] want = TestData.nchwToHwc(Npy.read(refs.resolve(p + ".npy")));
                float[] got = a.read(op.output());
                double step = fq.scale();
                long n = 0;
                for (int i = 0; i < want.length; i++) {
                    double e = Math.abs(want[i] - got[i]);
                    assertTrue(e <= step * 1.001, p + ": " + e / step + " grid steps apart at " + i);
                    n += e > step / 2 ? 1 : 0;
                }
                assertTrue(n <= want.length / 1000, p + ": " + n + " of " + want.length + " values a step apart");
                off += n;
                total += want.length;
                ops++;
                checkedValues.add(op.output().id());
                assertEquals(cal.range(p).scale(), fq.scale(), p);
            }
        }
        // every module the reference wrote was checked here (a simulation that quantised nothing,
        // or fewer modules than the reference, checked nothing and passed)
        Map<String, Graph.ModuleRun> runs = new HashMap<>();
        for (Graph.ModuleRun r : g.modules()) {
            runs.put(r.path(), r);
        }
        Set<String> unchecked = new java.util.TreeSet<>();
        try (var files = Files.list(refs)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String p = f.getFileName().toString().replaceFirst("\\.npy$", "");
                Graph.ModuleRun r = runs.get(p);
                if (r == null || !checkedValues.contains(sameElementsAs(g, r.output()).id())) {
                    unchecked.add(p);
                }
            }
        }
        assertTrue(ops > 0 && unchecked.isEmpty(), ops + " fake-quantised ops checked; the reference's modules "
                + "not among them: " + unchecked);
        return new int[] {ops, (int) off, (int) total};
    }

    /** The value whose elements {@code v} holds: a reshape's input (followed back), else {@code v} itself. */
    private static Value sameElementsAs(Graph g, Value v) {
        int producer = g.producerOf(v);
        if (producer >= 0 && g.ops().get(producer) instanceof Op.Reshape r) {
            return sameElementsAs(g, r.input());
        }
        return v;
    }

    /** The whole int8 model run freely against the reference's free run: the worst module, in grid steps. */
    private static double freeRun(Model q, LoadedImage img, Path refs, Set<String> gone, Calibration cal)
            throws Exception {
        double worst = 0;
        try (Inspection ins = q.inspect(img, null, null)) {
            for (Graph.ModuleRun r : q.graph().modules()) {
                String p = r.path();
                if (p.isEmpty()) {
                    continue;
                }
                if (gone.contains(p)) {
                    assertNull(ins.layer(p), p + " should have no output once fused");
                    continue;
                }
                LayerData got = ins.layer(p);
                assertNotNull(got, p);
                float[] want = Npy.read(refs.resolve(p + ".npy")).data();
                float[] chw = got.chw();
                double max = 0;
                for (int i = 0; i < want.length; i++) {
                    max = Math.max(max, Math.abs(want[i] - chw[i]));
                }
                worst = Math.max(worst, max / cal.range(p).scale());
            }
        }
        return worst;
    }
}

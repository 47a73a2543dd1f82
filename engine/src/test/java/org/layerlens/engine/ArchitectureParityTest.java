package org.layerlens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.layerlens.engine.api.DetectorOutput;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.api.ModuleEvent;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.io.Npy;
import org.layerlens.engine.nn.Module;
import org.layerlens.engine.ssd.PytorchSsdDecoder;

/**
 * All seven pytorch-ssd architectures against the independent PyTorch reference
 * (reference/archs.py, reference/ssdnet.py; float64), each as four files written by
 * reference/make_arch_refs.py: a zip and a legacy torch.save checkpoint, our ONNX export and an
 * export made the way pytorch-ssd's users make one (upstream's SSD.forward with is_test=True,
 * input_0 -> scores, boxes; reference/upstream_export.py). For every file: the architecture and
 * class count recognised, the input tensor made from the photo as the architecture's own
 * preprocessing makes it, every module's output within 1e-4 * max(1, max|ref|) (2e-4 for ONNX
 * exports, whose batch norms are folded into float32 weights), scores and boxes within 1e-4, the
 * detections matched one to one, the fast pass equal to the inspect pass, the tree printing as
 * PyTorch's print(model) line for line, and the priors equal to pytorch-ssd's. The files are
 * about 1.5 GB, so they are made where PyTorch is (.ci/run sets LAYERLENS_ARCH_REFS); elsewhere
 * these tests are skipped.
 */
class ArchitectureParityTest {
    static Path dir() {
        String d = System.getenv().getOrDefault("LAYERLENS_ARCH_REFS", System.getProperty("layerlens.arch.refs", ""));
        return d.isBlank() ? null : Paths.get(d);
    }

    static JsonObject manifest(Path d) throws IOException {
        return JsonParser.parseString(Files.readString(d.resolve("manifest.json"))).getAsJsonObject();
    }

    static Stream<Arguments> files() throws IOException {
        Path d = dir();
        if (d == null) {
            return Stream.of(Arguments.of("(LAYERLENS_ARCH_REFS not set)", "", 0, "", ""));
        }
        List<Arguments> out = new ArrayList<>();
        for (JsonElement e : manifest(d).getAsJsonArray("files")) {
            JsonObject o = e.getAsJsonObject();
            out.add(Arguments.of(o.get("file").getAsString(), o.get("arch").getAsString(), o.get("classes").getAsInt(),
                    o.get("format").getAsString(), o.get("ref").getAsString()));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {4}")
    @MethodSource("files")
    void matchesPyTorch(String file, String arch, int classes, String format, String tag) throws IOException {
        Path d = dir();
        Assumptions.assumeTrue(d != null, "set LAYERLENS_ARCH_REFS (made by reference/make_arch_refs.py)");
        JsonObject ref = manifest(d).getAsJsonObject("refs").getAsJsonObject(tag);
        Path refDir = d.resolve(tag);
        Model m = Model.open(d.resolve(file), null);
        assertEquals(arch, m.spec().name());
        assertEquals(classes, m.classes());
        assertTrue(m.notes().get(0).startsWith("recognised " + arch), m.notes().toString());
        if (format.equals("legacy")) {
            assertTrue(m.notes().contains("legacy torch.save format (PyTorch < 1.6)"), m.notes().toString());
        }
        boolean onnx = format.startsWith("onnx");
        if (onnx) {
            assertTrue(m.notes().stream().anyMatch(n -> n.startsWith("ONNX export:")), m.notes().toString());
        }

        assertEquals(Files.readAllLines(refDir.resolve("print.txt")), List.of(m.tree().toString().split("\n")),
                "the tree prints as print(model)");
        float[] priors = ((PytorchSsdDecoder) m.spec().post().decoder(m.tree(), m.layout(), new double[] {1, 1}))
                .centerPriors();
        Npy.Array wantPriors = Npy.read(refDir.resolve("priors.npy"));
        assertEquals(ref.get("priors").getAsInt() * 4, priors.length, "prior count");
        ReferenceParityTest.assertClose(wantPriors.data(), priors, 1e-7, "priors");

        // the architecture's own preprocessing of the photo gives the reference's input
        float[] in = TestData.nchwToHwc(Npy.read(refDir.resolve("input.npy")));
        LoadedImage photo = Images.read(TestData.sampleImage(ref.get("image").getAsString()));
        ReferenceParityTest.assertClose(in, m.input(photo), 1e-5, "input tensor");
        LoadedImage img = new LoadedImage(null, ref.get("imageWidth").getAsInt(), ref.get("imageHeight").getAsInt(),
                new byte[0]);

        Set<String> notRun = strings(ref, "notRun");
        Set<String> referenced = strings(ref, "modules");
        Set<String> seen = new HashSet<>();
        int compared = 0;
        double worst = 0;
        String worstPath = "";
        double rel = onnx ? 2e-4 : 1e-4;
        try (Inspection ins = m.inspectInput(in, img, null, null)) {
            for (Module mod : m.tree().modules()) {
                String p = mod.path();
                ModuleEvent e = ins.event(p);
                if (p.isEmpty() || !mod.callable() && e == null) {
                    continue; // the root; ModuleLists (extras, heads) are never called as a whole
                }
                if (notRun.contains(p)) {
                    assertNull(e, p + " never runs upstream (a stride-2 block's empty shortcut)");
                    assertFalse(referenced.contains(p), p);
                    continue;
                }
                assertNotNull(e, "no output for " + p);
                assertTrue(referenced.contains(p), "the reference has no output for " + p);
                seen.add(p);
                if (m.notComparable().contains(p)) {
                    continue; // folded away in the export: only conv+bn exists there, checked at the BatchNorm2d
                }
                Npy.Array want = Npy.read(refDir.resolve(p + ".npy"));
                int[] shape = e.outputShape();
                assertArrayEquals(want.shape(), new long[] {1, shape[0], shape[1], shape[2]}, p);
                float max = 0;
                for (float f : want.data()) {
                    max = Math.max(max, Math.abs(f));
                }
                double diff = ReferenceParityTest.maxDiff(ins.layer(p).chw(), want.data());
                double tol = rel * Math.max(1, max);
                assertTrue(diff <= tol, p + ": max |ND4J - PyTorch| = " + diff + " > " + tol);
                if (diff / tol > worst) {
                    worst = diff / tol;
                    worstPath = p;
                }
                compared++;
            }
            assertEquals(referenced, seen, "modules with an output here and in the reference");
            DetectorOutput o = ins.output();
            ReferenceParityTest.assertClose(Npy.read(refDir.resolve("scores.npy")).data(), o.scores(), 1e-4, "scores");
            ReferenceParityTest.assertClose(Npy.read(refDir.resolve("boxes.npy")).data(), o.boxes(), 1e-4, "boxes");
            JsonObject dets = JsonParser.parseString(Files.readString(refDir.resolve("detections.json")))
                    .getAsJsonObject();
            assertFalse(dets.getAsJsonArray("detections").isEmpty(), "the reference detects something");
            ReferenceParityTest.compareDetections(dets, o);
            DetectorOutput fast = m.detectInput(in, img);
            ReferenceParityTest.assertClose(o.scores(), fast.scores(), 1e-4, "fast vs inspect scores");
            ReferenceParityTest.assertClose(o.boxes(), fast.boxes(), 1e-4, "fast vs inspect boxes");
            ReferenceParityTest.compareDetections(dets, fast);
        }
        System.out.printf("%s (%s, %s): %d modules compared (%d folded), worst %s at %.3f of %.0e*max(1,|ref|)%n",
                file, arch, tag, compared, m.notComparable().size(), worstPath, worst, rel);
    }

    private static Set<String> strings(JsonObject o, String key) {
        Set<String> out = new HashSet<>();
        if (o.has(key)) {
            o.getAsJsonArray(key).forEach(e -> out.add(e.getAsString()));
        }
        return out;
    }
}

package org.layerlens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.layerlens.engine.arch.ArchitectureSpec;
import org.layerlens.engine.arch.Architectures;
import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.io.StateDict;
import org.layerlens.engine.io.TensorData;
import org.layerlens.engine.nn.Detector;
import org.layerlens.engine.ssd.HeadLayout;
import org.layerlens.engine.ssd.PytorchSsdDecoder;

/**
 * The seven pytorch-ssd architectures without PyTorch: each tree prints as upstream's
 * print(model) (the texts in test resources are PyTorch's, made by reference/make_arch_refs.py,
 * and .ci/run checks that a fresh run reproduces them), a state_dict with its keys and shapes is
 * recognised as that architecture with its class count, and its heads give as many anchors as
 * its priors, in the sizes pytorch-ssd's configs give.
 */
class ArchitecturesTest {
    @ParameterizedTest(name = "{0}, {1} classes")
    @CsvSource({"mb2-ssd-lite, 21", "mb1-ssd, 4", "mb1-ssd-lite, 2", "vgg16-ssd, 4", "mb3-large-ssd-lite, 4",
                "mb3-small-ssd-lite, 21", "sq-ssd-lite, 2"})
    void treePrintsAsPyTorch(String arch, int classes) throws IOException {
        List<String> want = Files.readAllLines(TestData.reference("print/" + arch + "-" + classes + ".txt"));
        List<String> got = List.of(Architectures.get(arch).build(classes).toString().split("\n"));
        for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
            assertEquals(want.get(i), got.get(i), arch + " line " + (i + 1));
        }
        assertEquals(want.size(), got.size(), "line count");
    }

    @ParameterizedTest(name = "{0}: {1} priors, first map {2}x{2}")
    @CsvSource({"mb2-ssd-lite, 3000, 19", "mb1-ssd, 3000, 19", "mb1-ssd-lite, 3000, 19", "vgg16-ssd, 8732, 38",
                "mb3-large-ssd-lite, 3000, 19", "mb3-small-ssd-lite, 3000, 19", "sq-ssd-lite, 2568, 17"})
    void recognisedFromItsKeysWithPriorsForEveryAnchor(String arch, int priors, int firstMap) throws IOException {
        ArchitectureSpec spec = Architectures.get(arch);
        for (int classes : new int[] {2, 21}) {
            Detector tree = spec.build(classes);
            LinkedHashMap<String, TensorData> t = new LinkedHashMap<>();
            tree.forEachParam((k, p) -> {
                long n = 1;
                for (long d : p.shape()) {
                    n *= d;
                }
                t.put(k, new TensorData(p.shape(), new float[(int) n], "float32"));
            });
            Architectures.Recognised r = Architectures.recognise(new StateDict(Path.of(arch + ".pth"), t));
            assertEquals(arch, r.spec().name());
            assertEquals(classes, r.classes());

            Graph g = tree.trace(spec.input().size());
            java.util.Map<String, int[]> shapes = new java.util.HashMap<>();
            g.outputs().forEach((k, v) -> shapes.put(k, v.dims()));
            HeadLayout layout = HeadLayout.of(shapes);
            assertEquals(priors, layout.anchors(), "anchors of the heads");
            assertEquals(firstMap, layout.heads().get(0).rows());
            float[] p = ((PytorchSsdDecoder) spec.post().decoder(tree, layout, new double[] {1, 1})).centerPriors();
            assertEquals(priors * 4, p.length, "priors");
        }
    }

    @Test
    void everyPytorchSsdArchitectureIsRegisteredOnce() {
        List<String> names = Architectures.names();
        for (String a : List.of("mb2-ssd-lite", "mb1-ssd", "mb1-ssd-lite", "vgg16-ssd", "mb3-large-ssd-lite",
                "mb3-small-ssd-lite", "sq-ssd-lite")) {
            assertEquals(1, names.stream().filter(a::equals).count(), a);
        }
        assertTrue(Architectures.get("vgg16-ssd").input().describe().contains("[123.0, 117.0, 104.0]"),
                Architectures.get("vgg16-ssd").input().describe());
    }

    /** Each source and its heads have the feature map size of the architecture's priors config. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"vgg16-ssd", "mb3-large-ssd-lite", "mb3-small-ssd-lite", "sq-ssd-lite"})
    void sourcesHaveTheMapSizesOfTheConfig(String arch) {
        ArchitectureSpec spec = Architectures.get(arch);
        Detector tree = spec.build(3);
        Graph g = tree.trace(spec.input().size());
        int[] want = arch.equals("vgg16-ssd") ? new int[] {38, 19, 10, 5, 3, 1}
                : arch.equals("sq-ssd-lite") ? new int[] {17, 10, 5, 3, 2, 1} : new int[] {19, 10, 5, 3, 2, 1};
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], g.outputs().get("reg." + i).height(), "head " + i);
            assertEquals(want[i], g.module(tree.sourcePaths().get(i)).output().height(), tree.sourcePaths().get(i));
        }
    }
}

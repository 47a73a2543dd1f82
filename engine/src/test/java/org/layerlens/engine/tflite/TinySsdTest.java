package org.layerlens.engine.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.layerlens.engine.ShapeTrail;
import org.layerlens.engine.TestData;
import org.layerlens.engine.api.DetectorOutput;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.graph.PathStyle;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.io.Json;
import org.layerlens.engine.io.Npy;
import org.layerlens.engine.nn.Module;
import org.layerlens.engine.nn.TfliteNet;

/**
 * A small SSD written as a .tflite with objects-v2's head layout and the real model's naming
 * habits (tflite/tiny-ssd.tflite, made by reference/objects_v2/make_tflite_cases.py; float16
 * weights behind DEQUANTIZE, ';'-joined fused names, BatchNorm scopes), opened like any model file:
 * the format, the scope tree, the trace, both passes and the decoding, with no large download.
 * Every tensor the engine computes is compared with the NumPy interpreter's on chair.png
 * (MediaPipe's preprocessing) within 1e-4 * max(1, max|ref|).
 */
class TinySsdTest {
    static Model model;
    static LoadedImage image;

    @BeforeAll
    static void open() throws Exception {
        model = Model.open(TestData.resource("tflite/tiny-ssd.tflite"), null);
        image = Images.read(TestData.sampleImage("chair.png"));
    }

    @Test
    void theTreeIsBuiltFromTheTfScopes() {
        assertEquals("objects-v2", model.spec().name());
        assertEquals(3, model.classes());
        Module root = model.tree();
        assertEquals(PathStyle.SCOPED, root.pathStyle());
        // a convolution named after its folded batch norm sits in the convolution's scope
        assertNotNull(root.find("FeatureExtractor/MobilenetV2/expanded_conv/project"));
        assertNull(root.find("FeatureExtractor/MobilenetV2/expanded_conv/project/BatchNorm"));
        // an op in a scope holding other modules is a module under its own name
        assertEquals("ADD", root.find("FeatureExtractor/MobilenetV2/expanded_conv/add").typeName());
        assertEquals("NameScope", root.find("FeatureExtractor/MobilenetV2/expanded_conv").typeName());
        assertEquals("add", root.find("FeatureExtractor/MobilenetV2/expanded_conv/add").name());
        assertEquals(List.of("FeatureExtractor/MobilenetV2/expanded_conv/add",
                "FeatureExtractor/MobilenetV2/layer_19_2_Conv2d_2_3x3_s2_4",
                "FeatureExtractor/MobilenetV2/layer_19_2_Conv2d_3_3x3_s2_4",
                "FeatureExtractor/MobilenetV2/layer_19_2_Conv2d_4_3x3_s2_4",
                "FeatureExtractor/MobilenetV2/layer_19_2_Conv2d_5_3x3_s2_4",
                "FeatureExtractor/MobilenetV2/layer_19_2_Conv2d_6_3x3_s2_4"), model.tree().sourcePaths());
        assertEquals("FeatureExtractor/MobilenetV2", model.tree().trunk().path());
        // the heads' reshapes and concatenations are not part of the tree: the heads are the outputs
        assertNull(root.find("BoxPredictor_0/Reshape"));
        assertNull(root.find("concat"));
        assertNotNull(root.find("BoxPredictor_5/ClassPredictor"));
        Map<String, Long> macs = model.graph().macsByModule();
        assertTrue(macs.get("FeatureExtractor/MobilenetV2") > 0 && macs.get("FeatureExtractor")
                .equals(macs.get("FeatureExtractor/MobilenetV2")), macs.toString());
        assertTrue(model.layout().anchors() == 1917, "anchors " + model.layout().anchors());
    }

    /**
     * The layers hold each convolution's weights in PyTorch's layout; the file's own values of
     * those tensors are not kept beside them (they were: objects-v2's 20 MB of weights twice on
     * the heap for as long as it was open). The every-tensor check below runs on that model.
     */
    @Test
    void convolutionWeightsAreHeldOnceByTheirLayers() {
        TfliteNet net = (TfliteNet) model.tree();
        int convs = 0;
        for (Module m : net.modules()) {
            if (m instanceof org.layerlens.engine.nn.TfliteLayer layer) {
                for (var op : layer.operators()) {
                    if (op.kind().equals("CONV_2D") || op.kind().equals("DEPTHWISE_CONV_2D")) {
                        var file = net.model().tensor(op.inputs()[1]);
                        assertEquals(0, file.floats().length, op.kind() + " " + file.name() + ": the file's values kept");
                        assertTrue(file.constant());
                        convs++;
                    }
                }
                layer.params().forEach((name, param) -> assertTrue(param.value().data().length > 0,
                        layer.path() + " " + name + " empty"));
            }
        }
        assertTrue(convs > 10, convs + " convolutions");
    }

    @Test
    void everyTensorMatchesTheNumPyInterpreter() throws Exception {
        Path dir = TestData.resource("tflite/tiny-ssd/index.json").getParent();
        Map<?, ?> index = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("index.json")));
        TfliteNet net = (TfliteNet) model.tree();
        int compared = 0;
        double worst = 0;
        try (Inspection ins = model.inspect(image, null, null)) {
            String trail = ShapeTrail.format(ShapeTrail.of(model.tree(), model.inputSize(), ins.events()));
            System.out.println("tiny-ssd trail: " + trail);
            // each extra is a 1x1 then a 3x3 stride-2 stage; equal shapes collapse except at the sources
            assertEquals("300x300x3 -> 19x19x4 -> 19x19x4* -> 19x19x4 -> 10x10x4* -> 10x10x4 -> 5x5x4* -> 5x5x4"
                    + " -> 3x3x4* -> 3x3x4 -> 2x2x4* -> 2x2x4 -> 1x1x4*", trail);
            for (Map.Entry<?, ?> e : index.entrySet()) {
                int tensor = Integer.parseInt((String) e.getKey());
                String op = (String) ((Map<?, ?>) e.getValue()).get("op");
                if (op.equals("RESHAPE") || op.equals("CONCATENATION")) {
                    continue; // after the heads: the engine decodes the heads' maps themselves
                }
                LayerData ours = ins.layer(net.pathOf(tensor));
                float[] ref = Npy.read(dir.resolve(tensor + ".npy")).data();
                worst = Math.max(worst, TestData.parityRatio(ours.values, ref, net.pathOf(tensor)));
                compared++;
            }
            DetectorOutput fast = model.detect(image);
            for (int i = 0; i < 6; i++) {
                for (String k : new String[] {"cls." + i, "reg." + i}) {
                    TestData.parityRatio(fast.raw().get(k), ins.output().raw().get(k), "fast " + k);
                }
            }
        }
        System.out.printf("tiny-ssd: %d tensors within 1e-4*max(1,|ref|), worst %.3f of it%n", compared, worst);
        assertEquals(26, compared); // 4 backbone ops, 5 extras of 2 convolutions, 6 heads of 2
    }
}

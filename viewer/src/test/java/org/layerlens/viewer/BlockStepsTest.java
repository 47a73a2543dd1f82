package org.layerlens.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.layerlens.engine.ShapeTrail;
import org.layerlens.engine.arch.Architectures;
import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.Op;

/**
 * Blocks are read off the traced graph, the same rules for every architecture: pytorch-ssd's
 * MobileNetV2 and V1 and face-api's V1 (structure only: traced before any weights are loaded).
 */
class BlockStepsTest {
    private static Graph graph(String arch, int size) {
        return Architectures.get(arch).build(Math.max(2, Architectures.get(arch).fixedClasses())).trace(size);
    }

    private static List<String> kinds(BlockSteps.Block b) {
        return b.steps().stream().map(BlockSteps.Step::kind).toList();
    }

    private static List<String> shapes(BlockSteps.Block b) {
        return b.tensors().stream().map(t -> ShapeTrail.hwc(t.chw())).toList();
    }

    @Test
    void mobileNetV2sInvertedResidualIsExpandDepthwiseProjectAndTheAdd() {
        Graph g = graph("mb2-ssd-lite", 300);
        BlockSteps.Block b = BlockSteps.around(g, "base_net.3.conv.4"); // a batch norm inside the block
        assertEquals("base_net.3", b.path(), "the whole InvertedResidual, not just its conv Sequential");
        assertEquals("InvertedResidual", b.type());
        assertEquals(List.of("expand 1x1", "depthwise 3x3", "project 1x1 (linear)", "add"), kinds(b));
        assertTrue(b.residual());
        assertEquals(List.of("75x75x24", "75x75x144", "75x75x144", "75x75x24", "75x75x24"), shapes(b));
        assertEquals(java.util.Set.of(0, 3), java.util.Set.copyOf(b.steps().get(3).inputs()),
                "the add reads the block's input and the projection");
        assertEquals("24 → 144 channels · batch norm · ReLU6", b.steps().get(0).detail());
        assertEquals("144 channels, each on its own · batch norm · ReLU6", b.steps().get(1).detail());
        assertEquals("144 → 24 channels · batch norm · no activation", b.steps().get(2).detail());
        // each step's cost is its convolution's: H*W*out*(in/groups)*k*k
        assertEquals(75L * 75 * 144 * 24, b.steps().get(0).macs());
        assertEquals(75L * 75 * 144 * 9, b.steps().get(1).macs());
        assertEquals(75L * 75 * 24 * 144, b.steps().get(2).macs());
        assertEquals(0, b.steps().get(3).macs());
        assertEquals(75L * 75 * 144 * 144 * 9, b.steps().get(1).denseMacs(), "an ordinary 3x3 conv, 144 -> 144");
        assertEquals(0, b.steps().get(0).denseMacs());
        assertEquals(g.macsByModule().get("base_net.3"), b.macs(), "the block's total is the graph's");
        assertEquals(List.of("base_net.3.conv.0", "base_net.3.conv.1", "base_net.3.conv.2"),
                b.steps().get(0).modules());
        assertEquals("base_net.3.conv.2", b.tensors().get(1).module(), "a tensor names the module it is the output of");
    }

    @Test
    void aStridedBlockHasNoResidualAndAnExpansionOfOneHasNoExpand() {
        Graph g = graph("mb2-ssd-lite", 300);
        BlockSteps.Block strided = BlockSteps.around(g, "base_net.4");
        assertEquals(List.of("expand 1x1", "depthwise 3x3 /2", "project 1x1 (linear)"), kinds(strided));
        assertFalse(strided.residual());
        BlockSteps.Block first = BlockSteps.around(g, "base_net.1");
        assertEquals(List.of("depthwise 3x3", "project 1x1 (linear)"), kinds(first));
        // the block whose middle feeds a head: the head's ops are not the block's
        BlockSteps.Block tapped = BlockSteps.around(g, "base_net.14.conv.2");
        assertEquals("base_net.14", tapped.path());
        assertEquals(List.of("expand 1x1", "depthwise 3x3 /2", "project 1x1 (linear)"), kinds(tapped));
        assertTrue(BlockSteps.ops(g, "base_net.14").stream().allMatch(o -> o.path().startsWith("base_net.14.")));
    }

    @Test
    void mobileNetV1sDepthwiseSeparableBlockInPytorchSsdAndFaceApi() {
        BlockSteps.Block v1 = BlockSteps.around(graph("mb1-ssd", 300), "base_net.3");
        assertEquals(List.of("depthwise 3x3", "pointwise 1x1"), kinds(v1));
        assertFalse(v1.residual());
        assertEquals("ReLU", v1.steps().get(0).detail().substring(v1.steps().get(0).detail().lastIndexOf(' ') + 1));
        BlockSteps.Block face = BlockSteps.around(graph("faces-v1", 512), "mobilenetv1.conv_3.depthwise_conv");
        assertEquals("mobilenetv1.conv_3", face.path());
        assertEquals(List.of("depthwise 3x3", "pointwise 1x1"), kinds(face));
        assertEquals(List.of("128x128x128", "128x128x128", "128x128x128"), shapes(face));
        BlockSteps.Block faceStrided = BlockSteps.around(graph("faces-v1", 512), "mobilenetv1.conv_4");
        assertEquals(List.of("depthwise 3x3 /2", "pointwise 1x1"), kinds(faceStrided), "V1 widens in its pointwise step");
    }

    @Test
    void aStageIsNotABlock() {
        Graph g = graph("mb2-ssd-lite", 300);
        BlockSteps.Block stage = BlockSteps.around(g, "base_net");
        assertTrue(stage.steps().isEmpty());
        long convs = g.ops().stream().filter(o -> o instanceof Op.Conv && o.path().startsWith("base_net.")).count();
        assertEquals("base_net runs " + convs + " convolutions: a stage, not a block. Select one of its blocks to "
                + "see its steps.", stage.note());
        BlockSteps.Block root = BlockSteps.around(g, "");
        assertTrue(root.note().startsWith("The network runs "), root.note());
        BlockSteps.Block head = BlockSteps.around(g, "classification_headers.0");
        // SSD-Lite's separable head: its 1x1 narrows to the logits without an activation, so it reads as a projection
        assertEquals(List.of("depthwise 3x3", "project 1x1 (linear)"), kinds(head));
    }
}

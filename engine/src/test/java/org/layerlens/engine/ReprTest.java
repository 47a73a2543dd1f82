package org.layerlens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.layerlens.engine.arch.PytorchSsd;
import org.layerlens.engine.nn.Module;
import org.layerlens.engine.nn.SSD;

/** The module tree prints as PyTorch's repr: the seed printout, line for line. */
class ReprTest {
    @Test
    void fourClassTreePrintsAsTheSeed() throws IOException {
        List<String> seed = new ArrayList<>();
        boolean in = false;
        for (String line : Files.readAllLines(TestData.resource("seed-printout.txt"))) {
            String s = line.strip();
            if (s.equals("SSD(")) {
                in = true;
            }
            if (in && !s.isEmpty() && !s.startsWith("#")) {
                // the seed was printed by an older PyTorch, which wrote ReLU6's flag bare
                seed.add(s.replace("ReLU6(inplace)", "ReLU6(inplace=True)"));
            }
        }
        assertTrue(seed.size() > 300, "seed printout parsed: " + seed.size());
        List<String> ours = new ArrayList<>();
        for (String line : PytorchSsd.mb2SsdLite(4).toString().split("\n")) {
            ours.add(line.strip());
        }
        for (int i = 0; i < Math.min(seed.size(), ours.size()); i++) {
            assertEquals(seed.get(i), ours.get(i), "line " + (i + 1));
        }
        assertEquals(seed.size(), ours.size(), "line count");
    }

    @Test
    void indentationFollowsNesting() {
        String repr = PytorchSsd.mb2SsdLite(4).toString();
        assertTrue(repr.startsWith("SSD(\n  (base_net): Sequential(\n    (0): Sequential(\n      (0): Conv2d(3, 32,"), repr);
    }

    @Test
    void pathsAreTorchDottedNamesAndShapesFollowTheClassCount() {
        SSD net = PytorchSsd.mb2SsdLite(21);
        List<String> paths = new ArrayList<>();
        for (Module m : net.modules()) {
            paths.add(m.path());
        }
        assertTrue(paths.contains("base_net.14.conv.3"));
        assertTrue(paths.contains("extras.3.conv.7"));
        assertTrue(paths.contains("classification_headers.5"));
        assertEquals(126, net.child("classification_headers").child("5").params().get("weight").shape()[0]);
        // hidden channels round(in * ratio): 1280 * 0.2 = 256
        assertEquals(256, net.child("extras").child("0").child("conv").child("0").params().get("weight").shape()[0]);
    }
}

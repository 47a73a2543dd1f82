package org.layerlens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.layerlens.engine.api.DetectorOutput;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.io.Npy;
import org.layerlens.engine.nn.Module;

/**
 * A checkpoint with one NaN weight (extras.1.conv.0, written by real torch.save in
 * reference/make_variants.py) against PyTorch's outputs of every module: NaN exactly where
 * PyTorch has NaN, every other value within 1e-4 of max(1, |ref|). ND4J's ReLU6 made a NaN 6.0,
 * so the NaN vanished one layer after the weight, in a user's search for where a NaN comes from,
 * and 84 priors with NaN scores looked finite.
 */
class NanWeightTest {
    @Test
    void nanFlowsThroughEveryModuleAsInPyTorch() throws Exception {
        Path d = VariantParityTest.dir();
        Assumptions.assumeTrue(d != null && Files.isDirectory(d.resolve("nan-weight")),
                "set LAYERLENS_VARIANTS_DIR (made by reference/make_variants.py)");
        Path ref = d.resolve("nan-weight");
        Model m = Model.open(ref.resolve("mb2-nan-weight.pth"), null);
        assertTrue(m.notes().contains("warning: extras.1.conv.0.weight holds 1 NaN/Inf value(s)"), m.notes().toString());
        float[] in = TestData.nchwToHwc(Npy.read(TestData.reference("input-coffee.npy")));
        LoadedImage img = new LoadedImage(null, 600, 400, new byte[0]);
        int withNaN = 0;
        try (Inspection ins = m.inspectInput(in, img, null, null)) {
            for (Module mod : m.tree().modules()) {
                if (!mod.callable() || mod.path().isEmpty()) {
                    continue;
                }
                float[] want = Npy.read(ref.resolve(mod.path() + ".npy")).data();
                float[] got = ins.layer(mod.path()).chw();
                withNaN += check(mod.path(), want, got);
            }
            DetectorOutput o = ins.output();
            check("scores", Npy.read(ref.resolve("scores.npy")).data(), o.scores());
            check("boxes", Npy.read(ref.resolve("boxes.npy")).data(), o.boxes());
            DetectorOutput fast = m.detectInput(in, img);
            check("fast pass scores", Npy.read(ref.resolve("scores.npy")).data(), fast.scores());
            assertEquals(nanRows(Npy.read(ref.resolve("scores.npy")).data(), m.classes()), fast.nonFinitePriors(),
                    "priors said not finite");
        }
        assertTrue(withNaN >= 10, withNaN + " modules with NaN: the NaN weight must reach the heads");
    }

    /** NaN where {@code want} has NaN, nothing else far; returns 1 when there is NaN. */
    private static int check(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what);
        float max = 0;
        int nan = 0;
        for (float f : want) {
            max = Float.isNaN(f) ? max : Math.max(max, Math.abs(f));
        }
        double tol = 1e-4 * Math.max(1, max);
        for (int i = 0; i < want.length; i++) {
            if (Float.isNaN(want[i])) {
                assertTrue(Float.isNaN(got[i]), what + "[" + i + "]: PyTorch has NaN, LayerLens " + got[i]);
                nan++;
            } else {
                assertTrue(Math.abs(want[i] - got[i]) <= tol, what + "[" + i + "]: " + got[i] + " for " + want[i]);
            }
        }
        return nan > 0 ? 1 : 0;
    }

    private static int nanRows(float[] scores, int classes) {
        int n = 0;
        for (int i = 0; i < scores.length / classes; i++) {
            boolean bad = false;
            for (int c = 0; c < classes; c++) {
                bad |= !Float.isFinite(scores[i * classes + c]);
            }
            n += bad ? 1 : 0;
        }
        return n;
    }
}

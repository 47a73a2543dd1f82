package org.layerlens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.arch.Architectures;
import org.layerlens.engine.io.CheckpointException;
import org.layerlens.engine.io.Checkpoints;
import org.layerlens.engine.io.StateDict;
import org.layerlens.engine.io.TensorData;

/**
 * Checkpoints that must be refused with a message that says why, written by real torch.save: a
 * whole pickled model (committed, reference/make_hostile.py) and mb1-ssd state_dicts too large to commit (reference/make_variants.py, refusals(): .ci/run sets
 * LAYERLENS_VARIANTS_DIR; elsewhere those tests are skipped).
 */
class CheckpointRefusalTest {
    private static Path refused(String name) {
        Path d = VariantParityTest.dir();
        Assumptions.assumeTrue(d != null, "set LAYERLENS_VARIANTS_DIR (made by reference/make_variants.py)");
        Path f = d.resolve("refused").resolve(name);
        Assumptions.assumeTrue(Files.exists(f), f + " (made by reference/make_variants.py)");
        return f;
    }

    private static String refusal(Path f) {
        return assertThrows(CheckpointException.class, () -> Model.open(f, null)).getMessage();
    }

    @Test
    void withoutTheVariantsTheCommittedCheckpointLessOneKeyGetsPyTorchsWords() throws IOException {
        StateDict good = Checkpoints.read(TestData.reference("mb2-ssd-lite-random-21.pth"));
        LinkedHashMap<String, TensorData> t = new LinkedHashMap<>(good.tensors());
        assertNotNull(t.remove("base_net.5.conv.0.weight"));
        StateDict sd = new StateDict(Paths.get("less.pth"), t);
        assertEquals("less.pth: Error(s) in loading state_dict for SSD:\n"
                + "\tMissing key(s) in state_dict: \"base_net.5.conv.0.weight\". ",
                assertThrows(CheckpointException.class, () -> Architectures.recognise(sd)).getMessage());
        // far from every architecture: the closest one and the keys that differ, as before
        StateDict small = Checkpoints.read(TestData.resource("hostile/small-zip.pth"));
        String m = assertThrows(CheckpointException.class, () -> Architectures.recognise(small)).getMessage();
        assertTrue(m.contains("matches no known architecture") && m.contains("closest is mb2-ssd-lite with 0% of its keys"),
                m);
    }

    @Test
    void aNearlyMatchingStateDictGetsPyTorchsMissingKeysWithoutNumBatchesTracked() {
        Path f = refused("mb1-missing-key.pth");
        assertEquals(f + ": Error(s) in loading state_dict for SSD:\n"
                + "\tMissing key(s) in state_dict: \"base_net.5.3.weight\". ", refusal(f));
    }

    @Test
    void aCheckpointWithOnlyTheBackgroundClassIsSaidToHaveNoObjectClass() {
        Path f = refused("mb1-background-only.pth");
        assertEquals(f + ": classification_headers.0.weight has 6 output channels, one per anchor of mb1-ssd's first "
                + "head (6): a single class, BACKGROUND alone; a detector needs at least one object class besides "
                + "BACKGROUND", refusal(f));
    }

    @Test
    void withoutTheVariantsAHeadOfOneClassIsSaidToBeBackgroundOnly() throws IOException {
        StateDict good = Checkpoints.read(TestData.reference("mb2-ssd-lite-random-4.pth"));
        LinkedHashMap<String, TensorData> t = new LinkedHashMap<>(good.tensors());
        TensorData w = t.get("classification_headers.0.3.weight");
        long[] s = w.shape().clone();
        assertEquals(24, s[0]);
        s[0] = 6;
        t.put("classification_headers.0.3.weight", new TensorData(s, java.util.Arrays.copyOf(w.data(),
                (int) (w.numel() / 4)), "float32"));
        StateDict sd = new StateDict(Paths.get("one.pth"), t);
        assertEquals("one.pth: classification_headers.0.3.weight has 6 output channels, one per anchor of "
                + "mb2-ssd-lite's first head (6): a single class, BACKGROUND alone; a detector needs at least one "
                + "object class besides BACKGROUND",
                assertThrows(CheckpointException.class, () -> Architectures.recognise(sd)).getMessage());
    }

    @Test
    void aWholePickledModelIsRefusedWithAHintToSaveItsStateDict() {
        Path f = TestData.resource("hostile/whole-model.pth");
        assertEquals(f + ": refuses global '__main__.SSD': a state_dict may only name OrderedDict, "
                + "torch._utils._rebuild_tensor_v2 and storage types; the file holds a whole pickled model "
                + "(torch.save(model): a class, not only tensors), which cannot be read without running its code: "
                + "save model.state_dict() instead (pytorch-ssd's net.save does) (whole-model/data.pkl, offset 2)",
                refusal(f));
        // an attacker's payload gets no such hint
        Path evil = TestData.resource("hostile/reduce-payload.pth");
        assertFalse(refusal(evil).contains("whole pickled model"), refusal(evil));
    }
}

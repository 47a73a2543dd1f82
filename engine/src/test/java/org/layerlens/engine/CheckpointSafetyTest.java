package org.layerlens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.io.CheckpointException;
import org.layerlens.engine.io.Checkpoints;
import org.layerlens.engine.io.SafeUnpickler;
import org.layerlens.engine.io.StateDict;
import org.layerlens.engine.io.TensorData;
import org.layerlens.engine.arch.Architectures;
import org.layerlens.engine.arch.PytorchSsd;
import org.layerlens.engine.nn.StateDictLoader;

class CheckpointSafetyTest {
    @Test
    void refusesARealReducePayloadWrittenByTorchSave() {
        for (String name : new String[] {"reduce-payload.pth", "reduce-payload-wrapped.pth",
                                          "reduce-payload-legacy.pth"}) {
            Path f = TestData.resource("hostile/" + name);
            CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.read(f));
            assertTrue(e.getMessage().startsWith(f.toString() + ": refuses global 'posix.system'"), e.getMessage());
        }
        assertFalse(Files.exists(Paths.get("/tmp/layerlens-pwned-zip")), "payload ran");
        assertFalse(Files.exists(Paths.get("/tmp/layerlens-pwned-legacy")), "payload ran");
    }

    @Test
    void refusesGlobalsBeforeReduce() {
        // protocol 2: builtins.eval("1"), hand-assembled
        byte[] p = "\u0080\u0002cbuiltins\neval\nX\u0001\u0000\u0000\u00001\u0085R.".getBytes(StandardCharsets.ISO_8859_1);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> new SafeUnpickler(Paths.get("x.pth"), "data.pkl", p, 0).load());
        assertTrue(e.getMessage().contains("refuses global 'builtins.eval'"), e.getMessage());
        assertTrue(e.getMessage().contains("offset 2"), e.getMessage());
    }

    @Test
    void refusesObjectBuildingOpcodes() {
        byte[] p = {(byte) 0x80, 2, (byte) 0x81, '.'}; // NEWOBJ
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> new SafeUnpickler(Paths.get("x.pth"), "data.pkl", p, 0).load());
        assertTrue(e.getMessage().contains("0x81 is not allowed"), e.getMessage());
    }

    @Test
    void emptyAndNonCheckpointFilesGetOneClearLine(@TempDir Path dir) throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.pth"));
        assertEquals(empty + ": the file is empty",
                assertThrows(CheckpointException.class, () -> Checkpoints.read(empty)).getMessage());
        Path jpeg = dir.resolve("photo.pth");
        Files.write(jpeg, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 0x10, 'J', 'F'});
        assertEquals(jpeg + ": not a PyTorch checkpoint (it is a JPEG image)",
                assertThrows(CheckpointException.class, () -> Checkpoints.read(jpeg)).getMessage());
    }

    @Test
    void truncatedZipIsAClearError(@TempDir Path dir) throws IOException {
        byte[] full = Files.readAllBytes(TestData.reference("mb2-ssd-lite-random-4.pth"));
        Path cut = dir.resolve("cut.pth");
        Files.write(cut, java.util.Arrays.copyOf(full, full.length / 2));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.read(cut));
        assertTrue(e.getMessage().startsWith(cut + ": "), e.getMessage());
    }

    @Test
    void strictLoadListsEveryProblemLikePyTorch() throws IOException {
        StateDict good = Checkpoints.read(TestData.reference("mb2-ssd-lite-random-4.pth"));
        LinkedHashMap<String, TensorData> t = new LinkedHashMap<>(good.tensors());
        t.remove("base_net.0.0.weight");
        t.remove("extras.0.conv.1.bias");
        t.put("extra.weight", new TensorData(new long[] {1}, new float[] {1}, "float32"));
        TensorData w = t.get("base_net.0.1.weight");
        t.put("base_net.0.1.weight", new TensorData(new long[] {16}, new float[16], "float32"));
        assertEquals(32, w.numel());
        StateDict bad = new StateDict(Paths.get("bad.pth"), t);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> StateDictLoader.load(PytorchSsd.mb2SsdLite(4), "SSD", bad));
        assertEquals("bad.pth: Error(s) in loading state_dict for SSD:\n"
                + "\tMissing key(s) in state_dict: \"base_net.0.0.weight\", \"extras.0.conv.1.bias\". \n"
                + "\tUnexpected key(s) in state_dict: \"extra.weight\". \n"
                + "\tsize mismatch for base_net.0.1.weight: copying a param with shape torch.Size([16]) from "
                + "checkpoint, the shape in current model is torch.Size([32]).", e.getMessage());
    }

    @Test
    void numBatchesTrackedIsAcceptedAndClassCountComesFromTheHeads() throws IOException {
        StateDict sd = Checkpoints.read(TestData.reference("mb2-ssd-lite-random-21.pth"));
        assertTrue(sd.tensors().containsKey("base_net.0.1.num_batches_tracked"));
        assertEquals(21, Architectures.recognise(sd).classes());
        assertEquals("mb2-ssd-lite", Architectures.recognise(sd).spec().name());
        Map<String, TensorData> all = sd.tensors();
        assertEquals("int64", all.get("base_net.0.1.num_batches_tracked").dtype());
    }

    @Test
    void smallFilesInBothFormatsReadTheSameTensors() throws IOException {
        StateDict z = Checkpoints.read(TestData.resource("hostile/small-zip.pth"));
        StateDict l = Checkpoints.read(TestData.resource("hostile/small-legacy.pth"));
        StateDict w = Checkpoints.read(TestData.resource("hostile/small-wrapped.pth"));
        assertEquals(z.tensors().keySet(), l.tensors().keySet());
        assertEquals(z.tensors().keySet(), w.tensors().keySet());
        for (String k : z.tensors().keySet()) {
            assertEquals(java.util.Arrays.toString(z.get(k).data()), java.util.Arrays.toString(l.get(k).data()), k);
            assertEquals(java.util.Arrays.toString(z.get(k).data()), java.util.Arrays.toString(w.get(k).data()), k);
        }
        // "view" is conv.weight[1]: same storage, offset 27
        float[] conv = z.get("conv.weight").data();
        assertEquals(java.util.Arrays.toString(java.util.Arrays.copyOfRange(conv, 27, 54)),
                java.util.Arrays.toString(z.get("view").data()));
        assertEquals("float16", z.get("half").dtype());
        assertEquals(7f, z.get("bn.num_batches_tracked").data()[0]);
        assertTrue(w.notes().get(0).contains("\"state_dict\""), w.notes().toString());
        assertTrue(l.notes().contains("legacy torch.save format (PyTorch < 1.6)"));
    }
}

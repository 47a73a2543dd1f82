package org.layerlens.engine.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.TestData;
import org.layerlens.engine.io.CheckpointException;
import org.layerlens.engine.io.ModelFormats;
import org.layerlens.engine.io.TfliteModel;
import org.layerlens.engine.io.TfliteReader;

/**
 * The TFLite reader on damaged files: every truncation of a valid file, a foreign identifier, an
 * older schema, a vector longer than the file, an offset out of the file. Each is one
 * CheckpointException whose one-line message names the file (the seeded mutation fuzz in
 * CheckpointFuzzTest covers the rest).
 */
class TfliteReaderTest {
    static byte[] tiny() throws Exception {
        return Files.readAllBytes(TestData.resource("tflite/tiny-ssd.tflite"));
    }

    @Test
    void readsTheTinySsd() throws Exception {
        TfliteModel m = TfliteReader.read(TestData.resource("tflite/tiny-ssd.tflite"));
        assertEquals("MLIR Converted.", m.description());
        assertEquals(2, m.outputs().length);
        // DEQUANTIZE of float16 weights is folded: no such operator remains, the weights are float32
        assertTrue(m.operators().stream().noneMatch(o -> o.kind().equals("DEQUANTIZE")));
        assertTrue(m.notes().get(0).contains("DEQUANTIZE"), m.notes().toString());
    }

    @Test
    void everyTruncationIsOneLine(@TempDir Path dir) throws Exception {
        byte[] b = tiny();
        Path f = dir.resolve("cut.tflite");
        int refused = 0;
        for (int n = 0; n < b.length; n += 37) {
            byte[] cut = Arrays.copyOf(b, n);
            Files.write(f, cut);
            CheckpointException e = assertThrows(CheckpointException.class, () -> ModelFormats.open(f),
                    "truncated to " + n);
            assertOneLine(e, f);
            refused++;
        }
        System.out.println("tflite: " + refused + " truncations refused, e.g. "
                + assertThrows(CheckpointException.class, () -> TfliteReader.read(f, Arrays.copyOf(b, 4000)))
                .getMessage());
    }

    @Test
    void foreignOrDamagedHeadersAreNamed(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.tflite");
        byte[] id = tiny();
        id[7] = '2';
        assertTrue(message(f, id).contains("not a TFL3 FlatBuffer"), message(f, id));

        byte[] version = tiny();
        ByteBuffer bb = ByteBuffer.wrap(version).order(ByteOrder.LITTLE_ENDIAN);
        int root = bb.getInt(0);
        int vtable = root - bb.getInt(root);
        int versionField = root + bb.getShort(vtable + 4);
        bb.putInt(versionField, 2);
        assertTrue(message(f, version).contains("TFLite schema version 2; LayerLens reads version 3"),
                message(f, version));

        byte[] vector = tiny();
        bb = ByteBuffer.wrap(vector).order(ByteOrder.LITTLE_ENDIAN);
        int buffersField = root + bb.getShort(vtable + 4 + 2 * 4);
        int buffers = buffersField + bb.getInt(buffersField);
        bb.putInt(buffers, 0x10000000);
        assertTrue(message(f, vector).contains("claims 268435456 elements"), message(f, vector));

        byte[] offset = tiny();
        bb = ByteBuffer.wrap(offset).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(0, offset.length + 1000);
        assertTrue(message(f, offset).contains("outside"), message(f, offset));
    }

    static String message(Path f, byte[] content) throws Exception {
        CheckpointException e = assertThrows(CheckpointException.class, () -> TfliteReader.read(f, content));
        assertOneLine(e, f);
        return e.getMessage();
    }

    static void assertOneLine(Exception e, Path f) {
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
}

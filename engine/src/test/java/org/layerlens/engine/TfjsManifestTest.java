package org.layerlens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.io.CheckpointException;
import org.layerlens.engine.io.Json;
import org.layerlens.engine.io.TensorData;
import org.layerlens.engine.io.TfjsManifest;

/** The TF.js weights-manifest reader and its JSON parser, on hand-made files and hostile ones. */
class TfjsManifestTest {
    static final String MANIFEST = "[{\"paths\": [\"w.bin\"], \"weights\": ["
            + "{\"name\": \"a\", \"shape\": [2, 2], \"dtype\": \"float32\"},"
            + "{\"name\": \"q\", \"shape\": [3], \"dtype\": \"float32\", \"quantization\": "
            + "{\"scale\": 0.0026856216729856004, \"min\": -0.34107395246917127, \"dtype\": \"uint8\"}},"
            + "{\"name\": \"h\", \"shape\": [2], \"dtype\": \"float32\", \"quantization\": {\"dtype\": \"float16\"}},"
            + "{\"name\": \"i\", \"shape\": [], \"dtype\": \"int32\"}]}]";

    static byte[] bin() {
        ByteBuffer b = ByteBuffer.allocate(16 + 3 + 4 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(1.5f).putFloat(-2f).putFloat(0f).putFloat(1e-3f);
        b.put((byte) 0).put((byte) 127).put((byte) 255);
        b.putShort((short) 0x3c00).putShort((short) 0xc000); // 1.0, -2.0 in half precision
        b.putInt(5118);
        return b.array();
    }

    static Path write(Path dir, String manifest, byte[] bin) throws IOException {
        Path m = dir.resolve("x-weights_manifest.json");
        Files.writeString(m, manifest);
        if (bin != null) {
            Files.write(dir.resolve("w.bin"), bin);
        }
        return m;
    }

    @Test
    void readsFloatQuantisedHalfAndIntTensorsAsTfjsRestoresThem(@TempDir Path dir) throws Exception {
        LinkedHashMap<String, TensorData> t = TfjsManifest.read(write(dir, MANIFEST, bin()));
        assertEquals(List.of("a", "q", "h", "i"), List.copyOf(t.keySet()));
        assertArrayEquals(new float[] {1.5f, -2f, 0f, 1e-3f}, t.get("a").data());
        assertArrayEquals(new long[] {2, 2}, t.get("a").shape());
        double scale = 0.0026856216729856004;
        double min = -0.34107395246917127;
        assertArrayEquals(new float[] {(float) min, (float) (127 * scale + min), (float) (255 * scale + min)},
                t.get("q").data());
        assertEquals("uint8->float32", t.get("q").dtype());
        assertArrayEquals(new float[] {1f, -2f}, t.get("h").data());
        assertEquals(5118f, t.get("i").data()[0]);
        assertEquals(0, t.get("i").shape().length);
        assertTrue(org.layerlens.engine.io.ModelFormats.matchesName(dir.resolve("x-weights_manifest.json")));
    }

    private static String fails(Path dir, String manifest, byte[] bin) throws IOException {
        Path m = write(dir, manifest, bin);
        CheckpointException e = assertThrows(CheckpointException.class, () -> TfjsManifest.read(m));
        assertTrue(e.getMessage().startsWith(m.toString()), "names the file: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void damagedManifestsAndShardsGetOneClearLine(@TempDir Path dir) throws Exception {
        byte[] b = bin();
        assertTrue(fails(dir, MANIFEST, java.util.Arrays.copyOf(b, b.length - 3)).contains("truncated"));
        assertTrue(fails(dir, MANIFEST, java.util.Arrays.copyOf(b, b.length + 8)).contains("not described"));
        assertTrue(fails(dir, MANIFEST.replace("w.bin", "../w.bin"), b).contains("not a plain file name"));
        assertTrue(fails(dir, MANIFEST.replace("w.bin", "missing.bin"), b).contains("which is not there"));
        assertTrue(fails(dir, MANIFEST.substring(0, 40), b).contains("not valid JSON"));
        assertTrue(fails(dir, "{\"weights\": 1}", b).contains("expected a list of groups"));
        assertTrue(fails(dir, MANIFEST.replace("[2, 2]", "[100000, 100000]"), b).contains("elements"));
        assertTrue(fails(dir, MANIFEST.replace("[2, 2]", "[2, -2]"), b).contains("bad dimension"));
        assertTrue(fails(dir, MANIFEST.replace("\"int32\"", "\"string\""), b).contains("dtype string"));
        assertTrue(fails(dir, MANIFEST.replace("\"uint8\"", "\"int4\""), b).contains("quantised as int4"));
        assertTrue(fails(dir, MANIFEST.replace("\"name\": \"q\"", "\"name\": \"a\""), b).contains("twice"));
        assertTrue(fails(dir, "[]", b).contains("no tensors"));
    }

    @Test
    void aManifestOfAnotherModelNamesWhatIsMissing(@TempDir Path dir) throws Exception {
        Path m = write(dir, MANIFEST, bin());
        CheckpointException e = assertThrows(CheckpointException.class, () -> Model.open(m, null));
        assertTrue(e.getMessage().contains("not face-api's SSD MobileNetV1"), e.getMessage());
        assertTrue(e.getMessage().contains("0 of its 134 tensors found; missing MobilenetV1/Conv2d_0_pointwise/weights"),
                e.getMessage());
    }

    static final String TOKENS = "0123456789[]{}\",:-.eE";

    @Test
    void mutatedManifestsAndShardsOnlyEverGiveCheckpointExceptions(@TempDir Path dir) throws Exception {
        Random rnd = new Random(7);
        int iterations = Integer.getInteger("layerlens.fuzz.manifest", 3000);
        int refused = 0;
        for (int it = 0; it < iterations; it++) {
            byte[] json = MANIFEST.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] b = bin();
            byte[] target = rnd.nextBoolean() ? json : b;
            int edits = 1 + rnd.nextInt(4);
            for (int k = 0; k < edits; k++) {
                int pos = rnd.nextInt(target.length);
                switch (rnd.nextInt(3)) {
                    case 0 -> target[pos] ^= (byte) (1 << rnd.nextInt(8));
                    case 1 -> target[pos] = (byte) TOKENS.charAt(rnd.nextInt(TOKENS.length()));
                    default -> target[pos] = (byte) rnd.nextInt(256);
                }
            }
            if (rnd.nextInt(10) == 0) {
                b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length + 1));
            }
            Path m = dir.resolve("x-weights_manifest.json");
            Files.write(m, json);
            Files.write(dir.resolve("w.bin"), b);
            try {
                TfjsManifest.read(m);
                Model.open(m, null);
            } catch (CheckpointException e) {
                refused++;
                assertTrue(e.getMessage().startsWith(m.toString()), e.getMessage());
            }
        }
        System.out.printf("TF.js manifest fuzz: %d inputs, %d refused with a CheckpointException, no other errors%n",
                iterations, refused);
        assertEquals(iterations, refused, "none of these is face-api's model, so every one is refused");
    }

    @Test
    void jsonParserIsStrict() {
        Object v = Json.parse(" {\"a\": [1, -2.5e3, true, false, null, \"x\\u0041\\n\"], \"b\": {}} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(java.util.Arrays.asList(1.0, -2500.0, true, false, null, "xA\n"), m.get("a"));
        assertEquals(Map.of(), m.get("b"));
        for (String bad : new String[] {"", "[1,]", "{\"a\" 1}", "[01]", "[1] x", "\"\\q\"", "[1.]", "tru", "{1: 2}"}) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[".repeat(100) + "]".repeat(100)));
    }
}

package org.layerlens.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.layerlens.app.Cli.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.app.Cli.Result;
import org.layerlens.engine.io.Npy;

/** {@code --model objects-v2} on the command line, and a damaged .tflite refused in one line. */
class ObjectsV2CliTest {
    /**
     * The JSON of {@code detect} holds LiteRT's detections (reference/objects_v2/refs/faust_github,
     * MediaPipe's post-processing as postprocess.py ports it): same labels and class indices in the
     * same order, scores within 1e-4, boxes (clipped to the photo) within 0.5 px, as ObjectsV2ParityTest.
     */
    @Test
    void detectGivesLiteRtsDetections() throws Exception {
        Result r = run("detect", "--model", "objects-v2", "--image", Repo.sample("faust_github.jpg").toString(),
                "--json", "-");
        assertEquals(0, r.code(), r.err());
        JsonObject got = JsonParser.parseString(r.out()).getAsJsonArray().get(0).getAsJsonObject();
        JsonArray dets = got.getAsJsonArray("detections");
        JsonArray want = JsonParser.parseString(Files.readString(
                Repo.root().resolve("reference/objects_v2/refs/faust_github/detections.json")))
                .getAsJsonObject().getAsJsonArray("detections");
        assertEquals(want.size(), dets.size(), r.out());
        int[] size = {got.get("width").getAsInt(), got.get("height").getAsInt()};
        for (int i = 0; i < want.size(); i++) {
            JsonObject w = want.get(i).getAsJsonObject();
            JsonObject d = dets.get(i).getAsJsonObject();
            assertEquals(w.get("label").getAsString(), d.get("label").getAsString(), "detection " + i);
            assertEquals(w.get("class_index").getAsInt(), d.get("classId").getAsInt(), "detection " + i);
            assertEquals(w.get("score").getAsDouble(), d.get("score").getAsDouble(), 1e-4, "detection " + i);
            for (int k = 0; k < 4; k++) {
                assertEquals(ObjectsV2ParityTest.clip(w.getAsJsonArray("box").get(k).getAsDouble(), size[k % 2]),
                        d.getAsJsonArray("box").get(k).getAsDouble(), 0.5, "detection " + i + " box " + k);
            }
        }
    }

    @Test
    void treeAndSummaryUseTheTfScopes() {
        Result t = run("tree", "--model", "objects-v2");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().startsWith("TfliteNet(\n  (FeatureExtractor): NameScope(\n    (MobilenetV2): NameScope(\n"
                + "      (Conv): CONV_2D(3, 32, kernel_size=(3, 3), stride=(2, 2), padding=SAME, activation=RELU6)\n"),
                t.out());
        Result s = run("summary", "--model", "objects-v2");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().matches("(?s).*\\nFeatureExtractor/MobilenetV2/expanded_conv_13/expand +CONV_2D +19x19x576 .*"),
                s.out());
        assertTrue(s.out().contains("-> 19x19x576* -> 10x10x160 -> 10x10x320 -> 10x10x1280* -> 10x10x256 -> 5x5x512*"),
                s.out());
        // the columns line up however long the scope paths (the type column starts where its header does)
        List<String> rows = s.out().lines().takeWhile(l -> !l.startsWith("total")).toList();
        int typeAt = rows.get(0).indexOf("type");
        for (String row : rows.subList(1, rows.size())) {
            assertTrue(row.charAt(typeAt - 1) == ' ' && row.charAt(typeAt) != ' ', "aligned: " + row);
        }
    }

    /**
     * Scope paths become file names, and the values are LiteRT's in NCHW order. The committed LiteRT
     * reference (reference/objects_v2/refs/chair) holds the raw outputs: the first 19 * 19 * 3
     * anchors of box_encodings and class_predictions are head 0's two convolutions channels-last
     * (anchor (y * 19 + x) * 3 + a, value k is channel a * 4 + k, or a * 24 + k), so channel c at
     * (y, x) of the dumped [1, C, 19, 19] must be LiteRT's value (y * 19 + x) * C + c, within
     * 1e-4 * max(1, max|ref|) as ObjectsV2ParityTest.
     */
    @Test
    void dumpWritesScopedLayers(@TempDir Path dir) throws Exception {
        Result r = run("dump", "--model", "objects-v2", "--image", Repo.sample("chair.png").toString(),
                "--layer", "FeatureExtractor/MobilenetV2/expanded_conv_13/expand,BoxPredictor_0/BoxEncodingPredictor,"
                        + "BoxPredictor_0/ClassPredictor", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        Npy.Array a = Npy.read(dir.resolve("FeatureExtractor.MobilenetV2.expanded_conv_13.expand.npy"));
        assertArrayEquals(new long[] {1, 576, 19, 19}, a.shape());
        Path refs = Repo.root().resolve("reference/objects_v2/refs/chair");
        assertHeadZeroIsLiteRts(Npy.read(dir.resolve("BoxPredictor_0.BoxEncodingPredictor.npy")), 12,
                Npy.read(refs.resolve("box_encodings.npy")).data());
        assertHeadZeroIsLiteRts(Npy.read(dir.resolve("BoxPredictor_0.ClassPredictor.npy")), 72,
                Npy.read(refs.resolve("class_predictions.npy")).data());
    }

    private static void assertHeadZeroIsLiteRts(Npy.Array dumped, int channels, float[] litert) {
        assertArrayEquals(new long[] {1, channels, 19, 19}, dumped.shape());
        int cells = 19 * 19;
        float maxAbs = 0;
        for (int i = 0; i < cells * channels; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(litert[i]));
        }
        double tol = 1e-4 * Math.max(1, maxAbs);
        for (int c = 0; c < channels; c++) {
            for (int cell = 0; cell < cells; cell++) {
                assertEquals(litert[cell * channels + c], dumped.data()[c * cells + cell], tol,
                        "channel " + c + " at cell " + cell);
            }
        }
    }

    @Test
    void aDamagedTfliteIsOneLine(@TempDir Path dir) throws Exception {
        Path good = Repo.root().resolve("engine/src/test/resources/tflite/tiny-ssd.tflite");
        byte[] b = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.tflite");
        Files.write(cut, Arrays.copyOf(b, b.length / 3));
        Result r = run("tree", "--model", cut.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("layerlens: " + cut + ": "), r.err());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
        Path renamed = dir.resolve("photo.tflite");
        Files.copy(Repo.sample("chair.png"), renamed);
        Result p = run("tree", "--model", renamed.toString());
        assertEquals(1, p.code());
        assertTrue(p.err().contains("not a TFLite model (it is a PNG image)"), p.err());
    }
}

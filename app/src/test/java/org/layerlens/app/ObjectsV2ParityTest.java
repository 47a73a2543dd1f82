package org.layerlens.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.layerlens.engine.ShapeTrail;
import org.layerlens.engine.TestData;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.DetectorOutput;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.io.Json;
import org.layerlens.engine.io.Npy;
import org.layerlens.engine.nn.Module;
import org.layerlens.engine.nn.TfliteNet;

/**
 * objects-v2 (MediaPipe's SSD MobileNetV2 OIDv4 .tflite, bundled at build time) against its
 * references (reference/objects_v2): LiteRT.js running the same file under Node, the NumPy
 * interpreter's every tensor (itself checked against LiteRT), and MediaPipe's pre- and
 * post-processing as postprocess.py ports it. The committed references (reference/objects_v2/refs:
 * LiteRT's raw outputs and the detections for four photos) always run; .ci/run makes the full
 * ones (every tensor, six photos) and passes them in LAYERLENS_OBJECTS_V2_REFS.
 * Tolerance: 1e-4 * max(1, max|ref|) per tensor (raw boxes and scores too); detections identical
 * (same boxes kept, same labels, scores within 1e-4, boxes within 0.5 px).
 */
class ObjectsV2ParityTest {
    static Model model;

    @BeforeAll
    static void load() throws Exception {
        model = ModelRef.load(ModelRef.OBJECTS_V2, null);
    }

    static Path full() {
        String env = System.getenv("LAYERLENS_OBJECTS_V2_REFS");
        return env == null || env.isEmpty() ? null : Paths.get(env);
    }

    /** The image folders of the full references when given, else of the committed ones. */
    static List<Path> imageDirs() throws Exception {
        Path dir = full() != null ? full() : Repo.root().resolve("reference/objects_v2/refs");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("detections.json"))).sorted().toList();
        }
    }

    /** LiteRT's output {@code name} (box_encodings, class_predictions) in either layout. */
    static float[] litert(Path imageDir, String name) throws Exception {
        Path compact = imageDir.resolve(name + ".npy");
        if (Files.exists(compact)) {
            return Npy.read(compact).data();
        }
        try (Stream<Path> s = Files.list(imageDir.resolve("litert"))) {
            return Npy.read(s.filter(p -> p.getFileName().toString().endsWith(name + ".npy")).findFirst()
                    .orElseThrow()).data();
        }
    }

    static LoadedImage image(Path imageDir) throws Exception {
        Map<?, ?> d = (Map<?, ?>) Json.parse(Files.readString(imageDir.resolve("detections.json")));
        return Images.read(Repo.sample(Paths.get((String) d.get("image")).getFileName().toString()));
    }

    @Test
    void theTreeFollowsTheTfScopes() throws Exception {
        assertEquals("objects-v2", model.spec().name());
        assertEquals(24, model.classes());
        assertEquals("???", model.labels().get(0));
        assertEquals(List.of("Cat", "Mug", "Car"), List.of(model.labels().get(8), model.labels().get(12),
                model.labels().get(23)));
        assertEquals(1917, model.layout().anchors());
        Module root = model.tree();
        assertEquals("CONV_2D", root.find("FeatureExtractor/MobilenetV2/expanded_conv_13/expand").typeName());
        assertEquals("DEPTHWISE_CONV_2D", root.find("FeatureExtractor/MobilenetV2/expanded_conv_13/depthwise").typeName());
        assertEquals("ADD", root.find("FeatureExtractor/MobilenetV2/expanded_conv_12/add").typeName());
        assertEquals(List.of("FeatureExtractor", "BoxPredictor_0", "BoxPredictor_1", "BoxPredictor_2",
                "BoxPredictor_3", "BoxPredictor_4", "BoxPredictor_5"), List.copyOf(root.children().keySet()));
        List<String> sources = model.tree().sourcePaths();
        assertEquals(List.of("FeatureExtractor/MobilenetV2/expanded_conv_13/expand", "FeatureExtractor/MobilenetV2/Conv_1",
                "FeatureExtractor/MobilenetV2/layer_19_2_Conv2d_2_3x3_s2_512",
                "FeatureExtractor/MobilenetV2/layer_19_2_Conv2d_3_3x3_s2_256",
                "FeatureExtractor/MobilenetV2/layer_19_2_Conv2d_4_3x3_s2_256",
                "FeatureExtractor/MobilenetV2/layer_19_2_Conv2d_5_3x3_s2_128"), sources);
        LoadedImage img = Images.read(Repo.sample("faust_github.jpg"));
        try (Inspection ins = model.inspect(img, null, null)) {
            assertEquals("[576, 19, 19]", Arrays.toString(ins.event(sources.get(0)).outputShape()));
            assertEquals("[1280, 10, 10]", Arrays.toString(ins.event(sources.get(1)).outputShape()));
            assertEquals("[576, 10, 10]", Arrays.toString(
                    ins.event("FeatureExtractor/MobilenetV2/expanded_conv_13/depthwise").outputShape()));
            String trail = ShapeTrail.format(ShapeTrail.of(model.tree(), model.inputSize(), ins.events()));
            System.out.println("objects-v2 trail: " + trail);
            assertEquals("300x300x3 -> 150x150x32 -> 150x150x16 -> 75x75x24 -> 38x38x32 -> 19x19x64 -> 19x19x96 -> "
                    + "19x19x576* -> 10x10x160 -> 10x10x320 -> 10x10x1280* -> 10x10x256 -> 5x5x512* -> 5x5x128 -> "
                    + "3x3x256* -> 3x3x128 -> 2x2x256* -> 2x2x64 -> 1x1x128*", trail);
            // LiteRT's detections on this photo (labels, and the head of each one's anchor) are ours
            List<Detection> dets = ins.output().detections(0.5);
            List<?> theirs = (List<?>) ((Map<?, ?>) Json.parse(Files.readString(
                    Repo.root().resolve("reference/objects_v2/refs/faust_github/detections.json")))).get("detections");
            assertEquals(theirs.stream().map(t -> ((Map<?, ?>) t).get("label")).toList(),
                    dets.stream().map(Detection::label).toList());
            for (int i = 0; i < dets.size(); i++) {
                int anchor = ((Double) ((Map<?, ?>) theirs.get(i)).get("anchor")).intValue();
                assertEquals(headOf(anchor), dets.get(i).provenance().head(), dets.get(i).label() + "'s head");
            }
            Detection second = dets.get(1);
            assertTrue(second.provenance().suppressed().size() >= 1, "the " + second.label() + "'s box suppressed others");
        }
    }

    @Test
    void rawOutputsAndDetectionsMatchLiteRtAndMediaPipe() throws Exception {
        List<Path> dirs = imageDirs();
        assertTrue(dirs.size() >= 4, "references for at least four photos: " + dirs);
        for (Path dir : dirs) {
            LoadedImage img = image(dir);
            float[] boxes = litert(dir, "box_encodings");
            float[] scores = litert(dir, "class_predictions");
            Map<?, ?> ref = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("detections.json")));
            List<?> theirs = (List<?>) ref.get("detections");
            DetectorOutput fast = model.detect(img);
            DetectorOutput inspected;
            try (Inspection ins = model.inspect(img, null, null)) {
                inspected = ins.output();
            }
            for (DetectorOutput out : List.of(fast, inspected)) {
                String pass = out == fast ? "fast" : "inspect";
                double rb = TestData.parityRatio(concat(out, "reg"), boxes, dir.getFileName() + " " + pass + " box encodings");
                double rs = TestData.parityRatio(concat(out, "cls"), scores, dir.getFileName() + " " + pass + " class predictions");
                // absolute differences, printed: LiteRT and the NumPy interpreter themselves differ by up to
                // 1.8e-4 on chair.png's box encodings (|values| up to 80), so the bound is the relative one
                double ab = maxDiff(concat(out, "reg"), boxes);
                double as = maxDiff(concat(out, "cls"), scores);
                List<Detection> ours = out.detections(0.5, model.defaultIou(), model.candidates());
                assertEquals(theirs.size(), ours.size(), dir + " " + pass + ": number of detections " + ours);
                double worstBox = 0;
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < ours.size(); i++) {
                    Map<?, ?> t = (Map<?, ?>) theirs.get(i);
                    Detection d = ours.get(i);
                    assertEquals(t.get("label"), d.label(), dir + " detection " + i);
                    assertEquals(((Double) t.get("anchor")).intValue(), d.provenance().priorIndex(), dir + " anchor");
                    assertEquals((Double) t.get("score"), d.score(), 1e-4, dir + " score");
                    List<?> b = (List<?>) t.get("box");
                    double[] want = {clip((Double) b.get(0), img.width()), clip((Double) b.get(1), img.height()),
                                     clip((Double) b.get(2), img.width()), clip((Double) b.get(3), img.height())};
                    double[] got = {d.x1(), d.y1(), d.x2(), d.y2()};
                    for (int k = 0; k < 4; k++) {
                        worstBox = Math.max(worstBox, Math.abs(got[k] - want[k]));
                    }
                    lines.add(String.format("%s %.4f", d.label(), d.score()));
                }
                assertTrue(worstBox <= 0.5, dir + " " + pass + ": a box differs by " + worstBox + " px");
                System.out.printf("objects-v2 %s %s: raw boxes %.3f and scores %.3f of 1e-4*max(1,|ref|) from "
                        + "LiteRT (at most %.1e and %.1e); detections %s identical (boxes within %.4f px)%n",
                        dir.getFileName(), pass, rb, rs, ab, as, lines, worstBox);
            }
        }
    }

    /**
     * Every tensor the engine computes (82 per photo) against the NumPy interpreter's, and the input
     * tensor against MediaPipe's preprocessing exactly. Needs .ci/run's full references (~130 MB a
     * photo); skipped without LAYERLENS_OBJECTS_V2_REFS.
     */
    @Test
    void everyLayerMatchesTheNumPyInterpreter() throws Exception {
        Assumptions.assumeTrue(full() != null, "LAYERLENS_OBJECTS_V2_REFS not set");
        List<Path> dirs = imageDirs();
        assertTrue(dirs.size() >= 4, "full references for at least four photos");
        TfliteNet net = (TfliteNet) model.tree();
        for (Path dir : dirs) {
            LoadedImage img = image(dir);
            double worst = 0;
            String worstName = "";
            int compared = 0;
            try (Inspection ins = model.inspect(img, null, null)) {
                float[] want = Npy.read(dir.resolve("input.npy")).data();
                assertTrue(Arrays.equals(want, ins.input().values), dir + ": the input tensor must be MediaPipe's exactly");
                for (Module m : net.modules()) {
                    int tensor = net.tensorOf(m.path());
                    if (tensor < 0) {
                        continue;
                    }
                    Path file;
                    try (Stream<Path> s = Files.list(dir)) {
                        file = s.filter(p -> p.getFileName().toString().startsWith(tensor + "-")).findFirst().orElseThrow();
                    }
                    LayerData ours = ins.layer(m.path());
                    double r = TestData.parityRatio(ours.values, Npy.read(file).data(), dir.getFileName() + " " + m.path());
                    if (r > worst) {
                        worst = r;
                        worstName = m.path();
                    }
                    compared++;
                }
            }
            // the file's 97 operators less the heads' 12 reshapes, 2 concatenations and final reshape
            assertEquals(82, compared, dir + ": tensors compared");
            System.out.printf("objects-v2 %s: input tensor identical; %d tensors within 1e-4*max(1,|ref|), worst %s "
                    + "at %.3f of it%n", dir.getFileName(), compared, worstName, worst);
        }
    }

    static float[] concat(DetectorOutput out, String prefix) {
        List<float[]> parts = new ArrayList<>();
        int n = 0;
        for (int i = 0; out.raw().containsKey(prefix + "." + i); i++) {
            parts.add(out.raw().get(prefix + "." + i));
            n += parts.get(i).length;
        }
        float[] all = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    static double maxDiff(float[] ours, float[] ref) {
        double d = 0;
        for (int i = 0; i < ref.length; i++) {
            d = Math.max(d, Math.abs(ours[i] - ref[i]));
        }
        return d;
    }

    /**
     * The head whose map holds MediaPipe's anchor {@code anchor}: anchors run head by head, 3 per cell
     * on 19x19, then 6 per cell on 10x10, 5x5, 3x3, 2x2 and 1x1 (reference/objects_v2/SETTINGS.md).
     */
    static int headOf(int anchor) {
        int[] perHead = {19 * 19 * 3, 10 * 10 * 6, 5 * 5 * 6, 3 * 3 * 6, 2 * 2 * 6, 6};
        for (int h = 0; h < perHead.length; h++) {
            anchor -= perHead[h];
            if (anchor < 0) {
                return h;
            }
        }
        throw new IllegalArgumentException("beyond MediaPipe's 1917 anchors");
    }

    static double clip(double v, int size) {
        return Math.max(0, Math.min(size, v));
    }
}

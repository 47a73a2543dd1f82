package org.layerlens.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.layerlens.engine.api.Model;

/**
 * What {@code --model} names: a model file, or a bundled model: {@code default} (mb2-ssd-lite,
 * classes circle/square/triangle, trained by reference/train.py), {@code faces-v1} (face-api's
 * SSD MobileNetV1 face detector) or {@code objects-v2} (MediaPipe's SSD MobileNetV2 trained on
 * Open Images, 23 classes, a .tflite); the last two are fetched from npm at build time. Bundled
 * models are read once per process and shared (a model is immutable).
 */
public final class ModelRef {
    public static final String DEFAULT = "default";
    public static final String FACES_V1 = "faces-v1";
    public static final String OBJECTS_V2 = "objects-v2";
    /** The bundled models and what the window's chooser shows for them. */
    public static final Map<String, String> BUNDLED = new LinkedHashMap<>();
    private static final String RESOURCE = "/org/layerlens/app/models/";
    private static final Map<String, Model> LOADED = new LinkedHashMap<>();

    static {
        BUNDLED.put(DEFAULT, "default · shapes (mb2-ssd-lite, V2)");
        BUNDLED.put(FACES_V1, "faces-v1 · faces (SSD MobileNetV1)");
        BUNDLED.put(OBJECTS_V2, "objects-v2 · 23 objects (SSD MobileNetV2, TFLite)");
    }

    private ModelRef() {
    }

    public static List<String> bundledNames() {
        return List.copyOf(BUNDLED.keySet());
    }

    public static Model load(String ref, Path labels) throws IOException {
        if (ref == null) {
            ref = DEFAULT;
        }
        if (BUNDLED.containsKey(ref)) {
            String key = ref + "|" + labels;
            synchronized (LOADED) {
                Model m = LOADED.get(key);
                if (m == null) {
                    m = loadBundled(ref, labels);
                    LOADED.put(key, m);
                }
                return m;
            }
        }
        Path p = Paths.get(ref);
        if (!Files.exists(p) && !ref.contains("/") && !ref.contains("\\") && !ref.contains(".")) {
            throw new IOException("unknown model '" + ref + "': no such file, and the bundled models are "
                    + String.join(", ", BUNDLED.keySet()));
        }
        return Model.open(p, labels);
    }

    private static Model loadBundled(String ref, Path labels) throws IOException {
        if (ref.equals(DEFAULT)) {
            Path[] files = bundled("", "default.pth", "default-labels.txt");
            return Model.open(files[0], labels != null ? labels : files[1])
                    .named("default (mb2-ssd-lite: circle, square, triangle)");
        }
        if (ref.equals(OBJECTS_V2)) {
            // the label map beside the model is what the TFLite format reads (line i = class i, "???" first)
            Path[] files = bundled("objects-v2/", "object_detection_ssd_mobilenetv2_oidv4_fp16.tflite",
                    "object_detection_oidv4_labelmap.txt", "LICENSE-objectron.txt");
            return Model.open(files[0], labels)
                    .named("objects-v2 (MediaPipe SSD MobileNetV2: 23 Open Images classes)");
        }
        Path[] files = bundled("faces-v1/", "ssd_mobilenetv1_model-weights_manifest.json",
                "ssd_mobilenetv1_model.bin", "LICENSE-face-api.txt");
        return Model.open(files[0], labels).named("faces-v1 (face-api SSD MobileNetV1: face)");
    }

    /** The bundled name a model was loaded from, or its file's path. */
    public static String refOf(Model m) {
        synchronized (LOADED) {
            for (Map.Entry<String, Model> e : LOADED.entrySet()) {
                if (e.getValue() == m || Objects.equals(e.getValue().source(), m.source())
                        && e.getValue().name().equals(m.name())) {
                    return e.getKey().substring(0, e.getKey().indexOf('|'));
                }
            }
        }
        return m.source().toString();
    }

    /** Bundled files, copied into a cache folder once so that readers get files (a manifest's shards beside it). */
    static synchronized Path[] bundled(String folder, String... names) throws IOException {
        Path dir = Paths.get(System.getProperty("java.io.tmpdir"), "layerlens-" + System.getProperty("user.name"))
                .resolve(folder);
        Files.createDirectories(dir);
        Path[] out = new Path[names.length];
        for (int i = 0; i < names.length; i++) {
            try (InputStream in = ModelRef.class.getResourceAsStream(RESOURCE + folder + names[i])) {
                if (in == null) {
                    throw new IOException("this build has no bundled " + folder + names[i]
                            + " (" + (folder.isEmpty() ? "default model" : "fetched at build time by "
                            + (folder.startsWith("objects") ? "scripts/fetch-objectron.sh"
                            : "scripts/fetch-faceapi.sh"))
                            + "); pass --model FILE");
                }
                Path tmp = Files.createTempFile(dir, "model", ".tmp");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                out[i] = dir.resolve(names[i]);
                Files.move(tmp, out[i], StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return out;
    }

    /** The sample image the app opens by default, if the sample-images folder can be found. */
    public static Path defaultImage() {
        return sampleImage(DEFAULT_IMAGE);
    }

    /** A file of the sample-images folder (beside the jar, or the repository's), or null. */
    public static Path sampleImage(String name) {
        String[] candidates = {System.getProperty("layerlens.samples", ""), "sample-images",
                "../sample-images", "lib/sample-images"};
        for (String c : candidates) {
            if (!c.isEmpty()) {
                Path p = Paths.get(c).resolve(name);
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
        }
        try {
            Path jar = Paths.get(ModelRef.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path d = jar.getParent(); d != null; d = d.getParent()) {
                Path p = d.resolve("sample-images").resolve(name);
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
        } catch (Exception ignored) {
            // fall through
        }
        return null;
    }

    public static final String DEFAULT_IMAGE = "shapes-01.png";
    /** The photo the window opens on first start, with objects-v2: a cat asleep behind a mug. */
    public static final String DEFAULT_PHOTO = "faust_github.jpg";

    public static Path defaultImageOrFail() throws IOException {
        Path p = defaultImage();
        if (p == null) {
            throw new IOException("sample-images/" + DEFAULT_IMAGE + " not found; pass --image FILE");
        }
        return p;
    }
}

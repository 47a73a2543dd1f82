package org.layerlens.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

import org.layerlens.engine.Model;

/**
 * What {@code --model} names: a checkpoint path, {@code default} (the model bundled in the app:
 * mb2-ssd-lite, classes circle/square/triangle, trained by reference/train.py), or
 * {@code faces-v1} (face-api's SSD MobileNetV1 face detector, fetched from npm at build time).
 */
public final class ModelRef {
    public static final String DEFAULT = "default";
    public static final String FACES_V1 = "faces-v1";
    /** The bundled models, as the window's model chooser lists them. */
    public static final java.util.List<String> BUNDLED = java.util.List.of(DEFAULT, FACES_V1);
    private static final String RESOURCE = "/org/layerlens/app/models/";

    private ModelRef() {
    }

    public static Model load(String ref, Path labels) throws IOException {
        if (ref == null || ref.equals(DEFAULT)) {
            Path[] files = bundled("", "default.pth", "default-labels.txt");
            Model m = Model.load(files[0], labels != null ? labels : files[1]);
            return new Model(m.net(), "default (mb2-ssd-lite: circle, square, triangle)", m.source(), m.labels(),
                    m.notes());
        }
        if (ref.equals(FACES_V1)) {
            Path[] files = bundled("faces-v1/", "ssd_mobilenetv1_model-weights_manifest.json",
                    "ssd_mobilenetv1_model.bin", "LICENSE-face-api.txt");
            Model m = Model.load(files[0], labels);
            return new Model(m.net(), "faces-v1 (face-api SSD MobileNetV1: face)", m.source(), m.labels(), m.notes());
        }
        return Model.load(Paths.get(ref), labels);
    }

    /** Bundled files, copied into a cache folder so readers get files (a manifest's shards beside it). */
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
                            + "scripts/fetch-faceapi.sh") + "); pass --model FILE");
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
        String[] candidates = {System.getProperty("layerlens.samples", ""), "sample-images",
                "../sample-images", "lib/sample-images"};
        for (String c : candidates) {
            if (!c.isEmpty()) {
                Path p = Paths.get(c).resolve(DEFAULT_IMAGE);
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
        }
        try {
            Path jar = Paths.get(ModelRef.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path d = jar.getParent(); d != null; d = d.getParent()) {
                Path p = d.resolve("sample-images").resolve(DEFAULT_IMAGE);
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

    public static Path defaultImageOrFail() throws IOException {
        Path p = defaultImage();
        if (p == null) {
            throw new IOException("sample-images/" + DEFAULT_IMAGE + " not found; pass --image FILE");
        }
        return p;
    }
}

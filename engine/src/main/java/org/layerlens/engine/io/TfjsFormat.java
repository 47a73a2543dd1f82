package org.layerlens.engine.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** TensorFlow.js weights manifests of face-api's SSD MobileNetV1: {@link TfjsManifest}, then {@link FaceApiMapping}. */
final class TfjsFormat implements ModelFormat {
    @Override
    public String name() {
        return "TF.js weights manifest";
    }

    @Override
    public List<String> patterns() {
        return List.of("*weights_manifest.json", "*.json");
    }

    @Override
    public boolean probe(Path file, byte[] head) {
        String h = new String(head, StandardCharsets.UTF_8).stripLeading();
        return h.startsWith("[") && (h.contains("\"weights\"") || h.contains("\"paths\""));
    }

    @Override
    public Opened open(Path file) throws IOException {
        List<String> notes = new ArrayList<>();
        StateDict sd = FaceApiMapping.map(file, TfjsManifest.read(file), notes);
        return new Opened(sd, "faces-v1", Set.of(), notes);
    }
}

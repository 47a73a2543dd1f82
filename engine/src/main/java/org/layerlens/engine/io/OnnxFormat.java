package org.layerlens.engine.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** ONNX exports of pytorch-ssd models (ours or upstream's): {@link OnnxReader}, then {@link OnnxMapping}. */
final class OnnxFormat implements ModelFormat {
    @Override
    public String name() {
        return "ONNX model";
    }

    @Override
    public List<String> patterns() {
        return List.of("*.onnx");
    }

    @Override
    public boolean probe(Path file, byte[] head) {
        return OnnxReader.looksLikeOnnx(head);
    }

    @Override
    public Opened open(Path file) throws IOException {
        return OnnxMapping.map(file, OnnxReader.read(file));
    }
}

package org.layerlens.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads TensorFlow.js's weights-manifest format: a JSON list of groups, each with the shard files
 * ({@code paths}, relative to the manifest) and the tensors stored back to back in them
 * ({@code name}, {@code shape}, {@code dtype}, optional {@code quantization}). Quantised tensors
 * ({@code uint8}/{@code uint16}) are restored as TensorFlow.js does, {@code value = q * scale + min};
 * {@code float16} quantisation is widened to float32. Only data is read; sizes are checked against
 * the shard bytes before anything is allocated.
 */
public final class TfjsManifest {
    private static final long MAX_ELEMENTS = 1L << 28;

    private TfjsManifest() {
    }

    /** Tensors by name, in manifest order; dtype is the stored form ("uint8->float32", "float32", ...). */
    public static LinkedHashMap<String, TensorData> read(Path manifest) throws IOException {
        String text;
        try {
            long size = Files.size(manifest);
            if (size > 64L << 20) {
                throw new CheckpointException(manifest, "is " + size + " bytes: too large for a weights manifest");
            }
            text = Files.readString(manifest, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new CheckpointException(manifest, "is not UTF-8 text, so not a TF.js weights manifest");
        }
        Object root;
        try {
            root = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(manifest, "is not valid JSON (" + e.getMessage() + ")");
        }
        if (!(root instanceof List<?> groups)) {
            throw new CheckpointException(manifest, "is JSON but not a TF.js weights manifest (expected a list of groups)");
        }
        LinkedHashMap<String, TensorData> out = new LinkedHashMap<>();
        Path dir = manifest.toAbsolutePath().getParent();
        int g = 0;
        for (Object go : groups) {
            if (!(go instanceof Map<?, ?> group) || !(group.get("paths") instanceof List<?> paths)
                    || !(group.get("weights") instanceof List<?> weights)) {
                throw new CheckpointException(manifest, "group " + g + " lacks \"paths\" and \"weights\" lists");
            }
            ByteBuffer data = shards(manifest, dir, paths, g);
            for (Object wo : weights) {
                if (!(wo instanceof Map<?, ?> w)) {
                    throw new CheckpointException(manifest, "group " + g + " has a weight entry that is not an object");
                }
                TensorData t = tensor(manifest, w, data);
                String name = (String) w.get("name");
                if (out.put(name, t) != null) {
                    throw new CheckpointException(manifest, "names tensor '" + name + "' twice");
                }
            }
            if (data.hasRemaining()) {
                throw new CheckpointException(manifest, "group " + g + ": " + data.remaining()
                        + " bytes of the shards are not described by any weight entry");
            }
            g++;
        }
        if (out.isEmpty()) {
            throw new CheckpointException(manifest, "lists no tensors");
        }
        return out;
    }

    private static ByteBuffer shards(Path manifest, Path dir, List<?> paths, int g) throws IOException {
        long total = 0;
        List<Path> files = new ArrayList<>();
        for (Object p : paths) {
            if (!(p instanceof String s) || s.isEmpty() || s.contains("..") || s.startsWith("/") || s.contains("\\")) {
                throw new CheckpointException(manifest, "group " + g + " names a shard path that is not a plain "
                        + "file name beside it: " + p);
            }
            Path f = dir.resolve(s);
            if (!Files.isRegularFile(f)) {
                throw new CheckpointException(manifest, "names shard " + s + ", which is not there (" + f + ")");
            }
            total += Files.size(f);
            files.add(f);
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new CheckpointException(manifest, "group " + g + " shards hold " + total + " bytes: too large");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        for (Path f : files) {
            buf.put(Files.readAllBytes(f));
        }
        buf.flip();
        return buf;
    }

    private static TensorData tensor(Path manifest, Map<?, ?> w, ByteBuffer data) throws CheckpointException {
        if (!(w.get("name") instanceof String name)) {
            throw new CheckpointException(manifest, "has a weight entry without a name");
        }
        if (!(w.get("shape") instanceof List<?> shapeList)) {
            throw new CheckpointException(manifest, "tensor '" + name + "' has no shape list");
        }
        long[] shape = new long[shapeList.size()];
        long n = 1;
        for (int k = 0; k < shape.length; k++) {
            if (!(shapeList.get(k) instanceof Double d) || d < 0 || d != Math.floor(d) || d > MAX_ELEMENTS) {
                throw new CheckpointException(manifest, "tensor '" + name + "' has a bad dimension " + shapeList.get(k));
            }
            shape[k] = d.longValue();
            n *= shape[k];
            if (n > MAX_ELEMENTS) {
                throw new CheckpointException(manifest, "tensor '" + name + "' has more than " + MAX_ELEMENTS + " elements");
            }
        }
        String dtype = String.valueOf(w.get("dtype"));
        if (!dtype.equals("float32") && !dtype.equals("int32")) {
            throw new CheckpointException(manifest, "tensor '" + name + "' has dtype " + dtype
                    + "; LayerLens reads float32 and int32");
        }
        float[] v = new float[(int) n];
        Object q = w.get("quantization");
        if (q != null) {
            if (!(q instanceof Map<?, ?> qm) || !(qm.get("dtype") instanceof String qd)) {
                throw new CheckpointException(manifest, "tensor '" + name + "' has a malformed quantization entry");
            }
            int width = switch (qd) {
                case "uint8" -> 1;
                case "uint16", "float16" -> 2;
                default -> throw new CheckpointException(manifest, "tensor '" + name + "' is quantised as " + qd
                        + "; LayerLens reads uint8, uint16 and float16");
            };
            need(manifest, name, data, n * width);
            if (qd.equals("float16")) {
                for (int k = 0; k < n; k++) {
                    v[k] = Checkpoints.halfToFloat(data.getShort());
                }
            } else {
                if (!(qm.get("scale") instanceof Double scale) || !(qm.get("min") instanceof Double min)) {
                    throw new CheckpointException(manifest, "tensor '" + name + "' is quantised without scale and min");
                }
                for (int k = 0; k < n; k++) {
                    int qv = width == 1 ? data.get() & 0xff : data.getShort() & 0xffff;
                    v[k] = (float) (qv * scale + min); // as TF.js: in double, stored as float32
                }
            }
            return new TensorData(shape, v, qd + "->" + dtype);
        }
        need(manifest, name, data, n * 4);
        for (int k = 0; k < n; k++) {
            v[k] = dtype.equals("int32") ? data.getInt() : data.getFloat();
        }
        return new TensorData(shape, v, dtype);
    }

    private static void need(Path manifest, String name, ByteBuffer data, long bytes) throws CheckpointException {
        if (data.remaining() < bytes) {
            throw new CheckpointException(manifest, "tensor '" + name + "' needs " + bytes + " bytes but the shards have "
                    + data.remaining() + " left (truncated .bin?)");
        }
    }
}

package org.layerlens.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an ONNX file into a neutral graph: every node (op type, name, inputs, outputs, integer and
 * float attributes), the initializers and Constant nodes' tensors, and the graph's inputs and
 * outputs. Mapping it onto a module tree happens in {@link OnnxMapping}. Only initializers stored
 * in the file are read (no external data); nothing in the file is executed.
 */
public final class OnnxReader {
    /** One node: its attributes (integer lists and floats) by name. */
    public record Node(String op, String name, List<String> inputs, List<String> outputs,
                       Map<String, List<Long>> ints, Map<String, Double> floats) {
        public long intAttr(String key, long fallback) {
            List<Long> v = ints.get(key);
            return v == null || v.isEmpty() ? fallback : v.get(0);
        }

        public String describe() {
            return "node '" + name + "' (" + op + ")";
        }
    }

    /** The graph: nodes in file order, constant tensors by name, graph input and output names. */
    public record Graph(List<Node> nodes, Map<String, TensorData> constants, List<String> inputs,
                        List<String> outputs) {
    }

    private OnnxReader() {
    }

    public static boolean looksLikeOnnx(byte[] head) {
        // ModelProto starts with ir_version (field 1, varint): tag 0x08, then a small version
        return head.length > 1 && head[0] == 0x08 && (head[1] & 0xff) < 0x20;
    }

    public static Graph read(Path file) throws CheckpointException {
        byte[] b;
        try {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 16) {
                throw new CheckpointException(file, "ONNX file larger than 2 GB");
            }
            b = Files.readAllBytes(file);
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read the file (" + e.getMessage() + ")", e);
        }
        if (!looksLikeOnnx(b)) {
            throw new CheckpointException(file, "not an ONNX model (it does not start like an ONNX ModelProto)");
        }
        Protobuf pb = new Protobuf(file, b);
        Protobuf.Field graph = null;
        for (Protobuf.Field f : pb.fields(0, b.length)) {
            if (f.number() == 7 && f.wire() == 2) {
                graph = f;
            }
        }
        if (graph == null) {
            throw new CheckpointException(file, "ONNX model has no graph");
        }
        Map<String, TensorData> constants = new HashMap<>();
        List<Protobuf.Field> nodeFields = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (Protobuf.Field f : pb.fields(graph.start(), graph.length())) {
            if (f.wire() != 2) {
                continue;
            }
            switch (f.number()) {
                case 1 -> nodeFields.add(f);
                case 5 -> {
                    Map.Entry<String, TensorData> t = tensor(pb, file, f);
                    constants.put(t.getKey(), t.getValue());
                }
                case 11 -> inputs.add(valueInfoName(pb, f));
                case 12 -> outputs.add(valueInfoName(pb, f));
                default -> {
                }
            }
        }
        List<Node> nodes = new ArrayList<>();
        for (Protobuf.Field nf : nodeFields) {
            List<String> in = new ArrayList<>();
            List<String> out = new ArrayList<>();
            String op = "";
            String name = "";
            Map<String, List<Long>> ints = new LinkedHashMap<>();
            Map<String, Double> floats = new HashMap<>();
            for (Protobuf.Field f : pb.fields(nf.start(), nf.length())) {
                switch (f.number()) {
                    case 1 -> in.add(pb.string(f));
                    case 2 -> out.add(pb.string(f));
                    case 3 -> name = pb.string(f);
                    case 4 -> op = pb.string(f);
                    case 5 -> attribute(pb, file, f, ints, floats, constants, out);
                    default -> {
                    }
                }
            }
            if (op.equals("Constant") && !out.isEmpty() && constants.containsKey("@constant")) {
                constants.put(out.get(0), constants.remove("@constant"));
            }
            constants.remove("@constant");
            nodes.add(new Node(op, name, List.copyOf(in), List.copyOf(out), ints, floats));
        }
        nodes = withoutConstantIdentities(nodes, constants);
        if (nodes.stream().noneMatch(n -> n.op().equals("Conv"))) {
            throw new CheckpointException(file, "ONNX graph has no Conv nodes");
        }
        return new Graph(nodes, constants, inputs, outputs);
    }

    /**
     * The nodes without the Identity nodes over constants, each of whose outputs becomes a name of
     * that constant. PyTorch's exporter writes them where one stored tensor serves several
     * parameters (batch norms still at weight 1 and bias 0, exported with training=PRESERVE or
     * without constant folding): a convolution's or batch norm's weight is then an Identity's
     * output, and the graph read as if those layers had none. Chains resolve in any node order.
     */
    private static List<Node> withoutConstantIdentities(List<Node> nodes, Map<String, TensorData> constants) {
        List<Node> left = new ArrayList<>(nodes);
        boolean resolved = true;
        while (resolved) {
            resolved = false;
            for (var it = left.iterator(); it.hasNext(); ) {
                Node n = it.next();
                if (n.op().equals("Identity") && n.inputs().size() == 1 && n.outputs().size() == 1
                        && constants.containsKey(n.inputs().get(0))) {
                    constants.put(n.outputs().get(0), constants.get(n.inputs().get(0)));
                    it.remove();
                    resolved = true;
                }
            }
        }
        return left;
    }

    private static void attribute(Protobuf pb, Path file, Protobuf.Field af, Map<String, List<Long>> ints,
                                  Map<String, Double> floats, Map<String, TensorData> constants, List<String> out)
            throws CheckpointException {
        String name = "";
        List<Long> values = new ArrayList<>();
        Double f32 = null;
        for (Protobuf.Field f : pb.fields(af.start(), af.length())) {
            switch (f.number()) {
                case 1 -> name = pb.string(f);
                case 2 -> f32 = (double) Float.intBitsToFloat((int) f.value());
                case 3 -> values.add(f.value());
                case 5 -> constants.put("@constant", tensor(pb, file, f).getValue());
                case 8 -> pb.longs(f, values);
                default -> {
                }
            }
        }
        if (!values.isEmpty()) {
            ints.put(name, values);
        }
        if (f32 != null) {
            floats.put(name, f32);
        }
    }

    private static String valueInfoName(Protobuf pb, Protobuf.Field vf) throws CheckpointException {
        for (Protobuf.Field f : pb.fields(vf.start(), vf.length())) {
            if (f.number() == 1 && f.wire() == 2) {
                return pb.string(f);
            }
        }
        return "";
    }

    private static Map.Entry<String, TensorData> tensor(Protobuf pb, Path file, Protobuf.Field tf)
            throws CheckpointException {
        List<Long> dims = new ArrayList<>();
        long type = 0;
        String name = "";
        Protobuf.Field raw = null;
        List<Protobuf.Field> floatData = new ArrayList<>();
        for (Protobuf.Field f : pb.fields(tf.start(), tf.length())) {
            switch (f.number()) {
                case 1 -> pb.longs(f, dims);
                case 2 -> type = f.value();
                case 4 -> floatData.add(f);
                case 8 -> name = pb.string(f);
                case 9 -> raw = f;
                case 14 -> {
                    if (f.value() == 1) {
                        throw new CheckpointException(file, "ONNX tensor '" + name + "' keeps its data in an external "
                                + "file, which LayerLens does not read");
                    }
                }
                default -> {
                }
            }
        }
        long[] shape = new long[dims.size()];
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i);
            if (shape[i] < 0 || shape[i] > Integer.MAX_VALUE) {
                throw new CheckpointException(file, "ONNX tensor '" + name + "' has dimension " + shape[i]);
            }
            n *= shape[i];
            if (n > Integer.MAX_VALUE / 8) {
                throw new CheckpointException(file, "ONNX tensor '" + name + "' claims " + n + "+ elements");
            }
        }
        float[] data = new float[(int) n];
        if (type == 1 && raw != null) { // FLOAT, raw little-endian
            if (raw.length() != 4 * n) {
                throw new CheckpointException(file, "ONNX tensor '" + name + "' has " + raw.length()
                        + " bytes of data for " + n + " floats");
            }
            ByteBuffer.wrap(pb.bytes(), raw.start(), raw.length()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        } else if (type == 1) {
            int k = 0;
            for (Protobuf.Field f : floatData) {
                if (f.wire() == 5) {
                    if (k < n) {
                        data[k] = Float.intBitsToFloat((int) f.value());
                    }
                    k++;
                } else {
                    if (f.length() % 4 != 0 || k + f.length() / 4 > n) {
                        throw new CheckpointException(file, "ONNX tensor '" + name + "' float_data does not fit its shape");
                    }
                    ByteBuffer bb = ByteBuffer.wrap(pb.bytes(), f.start(), f.length()).order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < f.length() / 4; i++) {
                        data[k++] = bb.getFloat();
                    }
                }
            }
            if (k != n) {
                throw new CheckpointException(file, "ONNX tensor '" + name + "' has " + k + " of " + n + " values");
            }
        } else if (type == 7 && raw != null && raw.length() == 8 * n) { // INT64 (shapes), kept as floats
            ByteBuffer bb = ByteBuffer.wrap(pb.bytes(), raw.start(), raw.length()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                data[i] = bb.getLong();
            }
        } else {
            data = new float[0];
            shape = new long[] {0};
        }
        return Map.entry(name, new TensorData(shape, data, type == 7 ? "int64" : "float32"));
    }
}

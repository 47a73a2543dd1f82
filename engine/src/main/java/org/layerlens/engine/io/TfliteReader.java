package org.layerlens.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a .tflite file (TensorFlow Lite's FlatBuffer, schema version 3) into a {@link TfliteModel}:
 * the main subgraph's tensors and operators. Every table, vector and string is checked against
 * the file's size before it is read ({@link FlatTable}), every constant's byte count against its
 * shape before anything is allocated, every tensor index against the tensor count. Constants
 * become float32: float16 widened exactly; a DEQUANTIZE of a constant (float16, or int8 / uint8
 * with a scale and zero point per tensor or per channel) is computed here and the operator
 * dropped. Anything quantised that would have to be computed in integers is refused: LayerLens
 * runs float models and does not approximate quantised kernels. Nothing in the file is executed.
 */
public final class TfliteReader {
    /** FlatBuffers address 32 bits; larger models keep data past the buffer, which Java arrays cannot hold either. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private final Path file;
    private final ByteBuffer bb;
    private final List<String> notes = new ArrayList<>();

    private TfliteReader(Path file, ByteBuffer bb) {
        this.file = file;
        this.bb = bb;
    }

    public static TfliteModel read(Path file) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read the file (" + e.getMessage() + ")", e);
        }
        if (size > MAX_BYTES) {
            throw new CheckpointException(file, "is " + size + " bytes; LayerLens reads .tflite files up to 2 GB");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read the file (" + e.getMessage() + ")", e);
        }
        return read(file, bytes);
    }

    /** Reads {@code bytes} as the contents of {@code file} (the name is for messages). */
    public static TfliteModel read(Path file, byte[] bytes) throws CheckpointException {
        return new TfliteReader(file, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)).model();
    }

    private CheckpointException bad(String problem) {
        return new CheckpointException(file, problem);
    }

    private TfliteModel model() throws CheckpointException {
        FlatTable m = FlatTable.root(file, bb, TfliteSchema.IDENTIFIER, "Model");
        long version = m.uint32(TfliteSchema.MODEL_VERSION, 0);
        if (version != TfliteSchema.VERSION) {
            throw bad("TFLite schema version " + version + "; LayerLens reads version " + TfliteSchema.VERSION);
        }
        String description = m.string(TfliteSchema.MODEL_DESCRIPTION);
        String[] codes = operatorCodes(m);
        FlatTable[] buffers = m.tables(TfliteSchema.MODEL_BUFFERS, i -> "Buffer " + i);
        FlatTable[] subgraphs = m.tables(TfliteSchema.MODEL_SUBGRAPHS, i -> "SubGraph " + i);
        if (subgraphs.length == 0) {
            throw bad("the model has no subgraph");
        }
        if (subgraphs.length > 1) {
            notes.add("the file has " + subgraphs.length + " subgraphs; the first (main) one is read");
        }
        FlatTable g = subgraphs[0];
        FlatTable[] tensorTables = g.tables(TfliteSchema.SUBGRAPH_TENSORS, i -> "Tensor " + i);
        List<Raw> raws = new ArrayList<>();
        for (int i = 0; i < tensorTables.length; i++) {
            raws.add(tensor(i, tensorTables[i], buffers));
        }
        int[] inputs = indices(g.ints(TfliteSchema.SUBGRAPH_INPUTS), raws.size(), "the subgraph's inputs", false);
        int[] outputs = indices(g.ints(TfliteSchema.SUBGRAPH_OUTPUTS), raws.size(), "the subgraph's outputs", false);
        if (inputs.length == 0 || outputs.length == 0) {
            throw bad("the subgraph declares no " + (inputs.length == 0 ? "input" : "output"));
        }
        FlatTable[] opTables = g.tables(TfliteSchema.SUBGRAPH_OPERATORS, i -> "Operator " + i);
        List<TfliteModel.Operator> ops = new ArrayList<>();
        for (int i = 0; i < opTables.length; i++) {
            ops.add(operator(i, opTables[i], codes, raws.size()));
        }
        return fold(description == null ? "" : description, raws, ops, inputs, outputs);
    }

    private String[] operatorCodes(FlatTable m) throws CheckpointException {
        FlatTable[] t = m.tables(TfliteSchema.MODEL_OPERATOR_CODES, i -> "OperatorCode " + i);
        String[] out = new String[t.length];
        for (int i = 0; i < t.length; i++) {
            // files written before the code outgrew a byte keep it in the deprecated field: take the larger
            int code = Math.max(t[i].int8(TfliteSchema.CODE_DEPRECATED_BUILTIN, 0), t[i].int32(TfliteSchema.CODE_BUILTIN, 0));
            if (code == TfliteSchema.CUSTOM) {
                String custom = t[i].string(TfliteSchema.CODE_CUSTOM);
                out[i] = "CUSTOM " + (custom == null ? "(unnamed)" : "\"" + custom + "\"");
            } else {
                out[i] = TfliteSchema.name(TfliteSchema.OPERATORS, code, "builtin operator");
            }
        }
        return out;
    }

    /** A tensor as stored: shape, type, name, its constant bytes (or null) and quantisation. */
    private record Raw(int index, String name, int[] shape, String type, ByteBuffer data, float[] scale,
                       long[] zeroPoint, int quantAxis) {
        String label() {
            return "tensor " + index + " \"" + name + "\"";
        }
    }

    private Raw tensor(int i, FlatTable t, FlatTable[] buffers) throws CheckpointException {
        String name = t.string(TfliteSchema.TENSOR_NAME);
        if (name == null || name.isEmpty()) {
            name = "tensor_" + i;
        }
        int[] shape = t.ints(TfliteSchema.TENSOR_SHAPE);
        for (int d : shape) {
            if (d < 0) {
                throw bad("tensor " + i + " \"" + name + "\" has a dynamic or negative dimension "
                        + java.util.Arrays.toString(shape) + "; LayerLens runs fixed shapes");
            }
        }
        String type = TfliteSchema.name(TfliteSchema.TYPES, t.int8(TfliteSchema.TENSOR_TYPE, 0), "type");
        long bufferIndex = t.uint32(TfliteSchema.TENSOR_BUFFER, 0);
        if (bufferIndex >= buffers.length) {
            throw bad("tensor " + i + " \"" + name + "\" refers to buffer " + bufferIndex + " of " + buffers.length);
        }
        ByteBuffer data = bufferIndex == 0 ? null : data(buffers[(int) bufferIndex]);
        if (data != null && data.remaining() == 0) {
            data = null;
        }
        if (data != null && t.has(TfliteSchema.TENSOR_SPARSITY)) {
            throw bad("tensor " + i + " \"" + name + "\" is stored sparse, which LayerLens does not read");
        }
        float[] scale = new float[0];
        long[] zero = new long[0];
        int axis = 0;
        FlatTable q = t.table(TfliteSchema.TENSOR_QUANTIZATION, "QuantizationParameters of tensor " + i);
        if (q != null) {
            scale = q.floats(TfliteSchema.QUANT_SCALE);
            zero = q.longs(TfliteSchema.QUANT_ZERO_POINT);
            axis = q.int32(TfliteSchema.QUANT_DIMENSION, 0);
        }
        if (data != null) {
            int size = TfliteSchema.size(type);
            long n = elements(shape, data.remaining(), name, i);
            if (size == 0 || n * size != data.remaining()) {
                throw bad("tensor " + i + " \"" + name + "\" (" + type + java.util.Arrays.toString(shape) + ") has "
                        + data.remaining() + " bytes of data" + (size == 0 ? "" : ", expected " + n * size));
            }
        }
        return new Raw(i, name, shape, type, data, scale, zero, axis);
    }

    /** The element count of a shape, refused when it exceeds {@code bytes} (no type is smaller than a byte). */
    private long elements(int[] shape, long bytes, String name, int i) throws CheckpointException {
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > bytes) {
                throw bad("tensor " + i + " \"" + name + "\" declares shape " + java.util.Arrays.toString(shape)
                        + " but its buffer holds " + bytes + " bytes");
            }
        }
        return n;
    }

    /** A buffer's bytes: inline, or (files over 2 GB, written by newer converters) at an offset past the FlatBuffer. */
    private ByteBuffer data(FlatTable b) throws CheckpointException {
        ByteBuffer inline = b.bytes(TfliteSchema.BUFFER_DATA);
        if (inline != null && inline.remaining() > 0) {
            return inline;
        }
        long offset = b.uint64(TfliteSchema.BUFFER_OFFSET, 0);
        long size = b.uint64(TfliteSchema.BUFFER_SIZE, 0);
        if (offset <= 1) { // 0: absent; 1: the converter's placeholder for "no data"
            return null;
        }
        if (size < 0 || offset < 0 || offset > bb.limit() || size > bb.limit() - offset) {
            throw b.broken("data at offset " + Long.toUnsignedString(offset) + ", " + Long.toUnsignedString(size)
                    + " bytes, lies outside the " + bb.limit() + "-byte file");
        }
        return FlatTable.slice(bb, offset, size);
    }

    private int[] indices(int[] idx, int tensors, String what, boolean optional) throws CheckpointException {
        for (int t : idx) {
            if (!(optional && t == -1) && (t < 0 || t >= tensors)) {
                throw bad(what + " refer to tensor " + t + " of " + tensors);
            }
        }
        return idx;
    }

    private TfliteModel.Operator operator(int i, FlatTable op, String[] codes, int tensors) throws CheckpointException {
        long code = op.uint32(TfliteSchema.OP_OPCODE_INDEX, 0);
        if (code >= codes.length) {
            throw bad("operator " + i + " uses operator code " + code + " of " + codes.length);
        }
        String kind = codes[(int) code];
        int[] in = indices(op.ints(TfliteSchema.OP_INPUTS), tensors, "operator " + i + " (" + kind + ")'s inputs", true);
        int[] out = indices(op.ints(TfliteSchema.OP_OUTPUTS), tensors, "operator " + i + " (" + kind + ")'s outputs",
                false);
        int want = TfliteSchema.optionsType(kind);
        int type = op.uint8(TfliteSchema.OP_OPTIONS_TYPE, 0);
        FlatTable o = op.table(TfliteSchema.OP_OPTIONS, "options of operator " + i + " (" + kind + ")");
        if (o != null && want != 0 && type != want) {
            throw bad("operator " + i + " (" + kind + ") carries options of union type " + type + ", expected " + want);
        }
        return new TfliteModel.Operator(i, kind, in, out, want == 0 ? TfliteOptions.NONE : options(kind, o));
    }

    private static TfliteOptions options(String kind, FlatTable o) throws CheckpointException {
        if (o == null) {
            return TfliteOptions.NONE;
        }
        TfliteOptions d = TfliteOptions.NONE;
        return switch (kind) {
            case "CONV_2D" -> new TfliteOptions(padding(o, 0), o.int32(1, 0), o.int32(2, 0), o.int32(4, 1),
                    o.int32(5, 1), 1, 1, activation(o, 3), 0, 0, 0f, false, null, d.squeezeDims(), 0, false);
            case "DEPTHWISE_CONV_2D" -> new TfliteOptions(padding(o, 0), o.int32(1, 0), o.int32(2, 0), o.int32(5, 1),
                    o.int32(6, 1), 1, 1, activation(o, 4), o.int32(3, 0), 0, 0f, false, null, d.squeezeDims(), 0,
                    false);
            case "AVERAGE_POOL_2D", "MAX_POOL_2D" -> new TfliteOptions(padding(o, 0), o.int32(1, 0), o.int32(2, 0), 1,
                    1, o.int32(3, 0), o.int32(4, 0), activation(o, 5), 0, 0, 0f, false, null, d.squeezeDims(), 0,
                    false);
            case "FULLY_CONNECTED" -> new TfliteOptions("VALID", 1, 1, 1, 1, 1, 1, activation(o, 0), 0, 0, 0f, false,
                    null, d.squeezeDims(), o.int8(1, 0), o.uint8(2, 0) != 0);
            case "SOFTMAX" -> new TfliteOptions("VALID", 1, 1, 1, 1, 1, 1, "NONE", 0, 0, o.float32(0, 0f), false,
                    null, d.squeezeDims(), 0, false);
            case "CONCATENATION" -> new TfliteOptions("VALID", 1, 1, 1, 1, 1, 1, activation(o, 1), 0, o.int32(0, 0),
                    0f, false, null, d.squeezeDims(), 0, false);
            case "ADD" -> new TfliteOptions("VALID", 1, 1, 1, 1, 1, 1, activation(o, 0), 0, 0, 0f, false, null,
                    d.squeezeDims(), 0, false);
            case "RESHAPE" -> new TfliteOptions("VALID", 1, 1, 1, 1, 1, 1, "NONE", 0, 0, 0f, false,
                    o.has(0) ? o.ints(0) : null, d.squeezeDims(), 0, false);
            case "MEAN" -> new TfliteOptions("VALID", 1, 1, 1, 1, 1, 1, "NONE", 0, 0, 0f, o.uint8(0, 0) != 0, null,
                    d.squeezeDims(), 0, false);
            case "SQUEEZE" -> new TfliteOptions("VALID", 1, 1, 1, 1, 1, 1, "NONE", 0, 0, 0f, false, null, o.ints(0), 0,
                    false);
            default -> TfliteOptions.NONE;
        };
    }

    private static String padding(FlatTable o, int slot) throws CheckpointException {
        return TfliteSchema.name(TfliteSchema.PADDINGS, o.int8(slot, 0), "padding");
    }

    private static String activation(FlatTable o, int slot) throws CheckpointException {
        return TfliteSchema.name(TfliteSchema.ACTIVATIONS, o.int8(slot, 0), "activation");
    }

    // ---------------------------------------------------------------- constants and DEQUANTIZE

    /**
     * Decodes the constants, folds every DEQUANTIZE of a constant into a float32 constant (dropping
     * the operator), and refuses what is left quantised.
     */
    private TfliteModel fold(String description, List<Raw> raws, List<TfliteModel.Operator> ops, int[] inputs,
                             int[] outputs) throws CheckpointException {
        Map<Integer, float[]> floats = new HashMap<>();
        Map<Integer, int[]> ints = new HashMap<>();
        for (Raw r : raws) {
            if (r.data() == null) {
                continue;
            }
            switch (r.type()) {
                case "FLOAT32" -> floats.put(r.index(), float32(r.data()));
                case "INT32" -> ints.put(r.index(), int32(r.data()));
                default -> { } // float16 and integer weights: only through DEQUANTIZE
            }
        }
        List<TfliteModel.Operator> kept = new ArrayList<>();
        int folded = 0;
        for (TfliteModel.Operator op : ops) {
            if (op.kind().equals("DEQUANTIZE") && op.inputs().length == 1 && op.outputs().length == 1
                    && op.inputs()[0] >= 0 && raws.get(op.inputs()[0]).data() != null) {
                Raw src = raws.get(op.inputs()[0]);
                Raw dst = raws.get(op.outputs()[0]);
                if (!dst.type().equals("FLOAT32") || !java.util.Arrays.equals(src.shape(), dst.shape())) {
                    throw bad("op " + op.index() + " DEQUANTIZE turns " + src.label() + " (" + src.type()
                            + java.util.Arrays.toString(src.shape()) + ") into " + dst.type()
                            + java.util.Arrays.toString(dst.shape()));
                }
                floats.put(dst.index(), dequantize(src, op));
                folded++;
            } else {
                kept.add(op);
            }
        }
        if (folded > 0) {
            notes.add(folded + " DEQUANTIZE operators of constant weights computed when reading");
        }
        List<TfliteModel.Tensor> tensors = new ArrayList<>();
        for (Raw r : raws) {
            tensors.add(new TfliteModel.Tensor(r.index(), r.name(), r.shape(), r.type(), floats.get(r.index()),
                    ints.get(r.index())));
        }
        TfliteModel model = new TfliteModel(file, description, tensors, kept, inputs, outputs, notes);
        refuseQuantised(model, raws);
        return model;
    }

    /** Every tensor an operator reads or writes must be float32 (computed or constant) or an int32 constant. */
    private void refuseQuantised(TfliteModel model, List<Raw> raws) throws CheckpointException {
        for (int t : model.inputs()) {
            TfliteModel.Tensor in = model.tensor(t);
            if (!in.type().equals("FLOAT32")) {
                throw bad("the input " + raws.get(t).label() + " is " + in.type() + "; " + QUANTISED);
            }
        }
        for (TfliteModel.Operator op : model.operators()) {
            for (int[] list : new int[][] {op.inputs(), op.outputs()}) {
                for (int t : list) {
                    if (t < 0) {
                        continue;
                    }
                    TfliteModel.Tensor x = model.tensor(t);
                    boolean ok = x.type().equals("FLOAT32") || x.type().equals("INT32") && x.ints() != null;
                    if (!ok) {
                        throw bad(model.where(op) + " uses " + raws.get(t).label() + " of type " + x.type()
                                + (quantised(raws.get(t)) ? " (quantised); " + QUANTISED : "; LayerLens computes "
                                + "in float32 (float16 and integer weights only through DEQUANTIZE)"));
                    }
                }
            }
        }
    }

    private static final String QUANTISED = "LayerLens runs float32 and float16 .tflite models; quantised ones are "
            + "refused rather than run with approximate integer kernels";

    private static boolean quantised(Raw r) {
        return r.scale().length > 0 || r.type().startsWith("INT") || r.type().startsWith("UINT");
    }

    private float[] dequantize(Raw src, TfliteModel.Operator op) throws CheckpointException {
        ByteBuffer d = src.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) (d.remaining() / Math.max(1, TfliteSchema.size(src.type())));
        float[] out = new float[n];
        switch (src.type()) {
            case "FLOAT16" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Checkpoints.halfToFloat(d.getShort(2 * i));
                }
                return out;
            }
            case "INT8", "UINT8" -> {
                float[] scale = src.scale();
                long[] zero = src.zeroPoint();
                int channels = scale.length;
                int axis = src.quantAxis();
                if (channels == 0 || zero.length != channels && zero.length != 0
                        || channels > 1 && (axis < 0 || axis >= src.shape().length || src.shape()[axis] != channels)) {
                    throw bad(model(op) + " dequantises " + src.label() + " with " + channels + " scales and "
                            + zero.length + " zero points along axis " + axis + " of "
                            + java.util.Arrays.toString(src.shape()));
                }
                int inner = 1;
                for (int k = axis + 1; channels > 1 && k < src.shape().length; k++) {
                    inner *= src.shape()[k];
                }
                boolean signed = src.type().equals("INT8");
                for (int i = 0; i < n; i++) {
                    int c = channels == 1 ? 0 : (i / inner) % channels;
                    int q = signed ? d.get(i) : Byte.toUnsignedInt(d.get(i));
                    long zp = zero.length == 0 ? 0 : zero[c];
                    out[i] = (float) ((q - zp) * (double) scale[c]);
                }
                return out;
            }
            default -> throw bad(model(op) + " dequantises " + src.label() + " of type " + src.type()
                    + ", which LayerLens does not read");
        }
    }

    private static String model(TfliteModel.Operator op) {
        return "op " + op.index() + " DEQUANTIZE";
    }

    private static float[] float32(ByteBuffer b) {
        float[] out = new float[b.remaining() / 4];
        b.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private static int[] int32(ByteBuffer b) {
        int[] out = new int[b.remaining() / 4];
        b.duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
        return out;
    }
}

package org.layerlens.engine.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A .tflite file as LayerLens runs it: the main subgraph's tensors and operators, every constant
 * already decoded (float32 as stored, float16 widened and quantised weights dequantised by folding
 * their DEQUANTIZE operators away), nothing quantised left. Made by {@link TfliteReader}.
 *
 * @param inputs  tensor indices of the graph's inputs
 * @param outputs tensor indices of the graph's outputs, in the file's order
 */
public record TfliteModel(Path file, String description, List<Tensor> tensors, List<Operator> operators,
                          int[] inputs, int[] outputs, List<String> notes) {

    /**
     * One tensor.
     *
     * @param name   the name as stored: converters often store several fused TF op names joined by ';'
     * @param shape  with the batch dimension, as the file declares it
     * @param type   TFLite's type name (FLOAT32, INT32, ...)
     * @param floats constant values (float32), or null for a computed tensor
     * @param ints   constant int32 values (shapes, axes, paddings), or null
     */
    public record Tensor(int index, String name, int[] shape, String type, float[] floats, int[] ints) {
        public boolean constant() {
            return floats != null || ints != null;
        }

        /** The name of the TF op that made it: the part before the first ';'. */
        public String opName() {
            int semi = name.indexOf(';');
            return semi < 0 ? name : name.substring(0, semi);
        }

        public long elements() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /**
     * One operator in execution order.
     *
     * @param index  its position among the file's operators (DEQUANTIZE ones included), for messages
     * @param kind   TFLite's builtin operator name (CONV_2D, ...)
     * @param inputs tensor indices; -1 for an omitted optional input
     */
    public record Operator(int index, String kind, int[] inputs, int[] outputs, TfliteOptions options) {
    }

    public Tensor tensor(int index) {
        return tensors.get(index);
    }

    /** Index of the operator writing each computed tensor. */
    public Map<Integer, Operator> producers() {
        Map<Integer, Operator> out = new HashMap<>();
        for (Operator op : operators) {
            for (int t : op.outputs()) {
                out.put(t, op);
            }
        }
        return out;
    }

    /** The operators reading each tensor. */
    public Map<Integer, List<Operator>> consumers() {
        Map<Integer, List<Operator>> out = new HashMap<>();
        for (Operator op : operators) {
            for (int t : op.inputs()) {
                if (t >= 0) {
                    out.computeIfAbsent(t, k -> new ArrayList<>()).add(op);
                }
            }
        }
        return out;
    }

    /**
     * This model with the values of the constants {@code copied} dropped: tensors whose values a
     * module holds in a layout of its own (a convolution's weights, turned to PyTorch's layout),
     * which would otherwise stay on the heap twice for as long as the model is open (objects-v2:
     * 20 MB). They are kept as empty arrays, so that they still read as constant.
     */
    public TfliteModel withoutValues(Set<Integer> copied) {
        List<Tensor> kept = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            kept.add(copied.contains(t.index()) && t.floats() != null
                    ? new Tensor(t.index(), t.name(), t.shape(), t.type(), new float[0], t.ints())
                    : t);
        }
        return new TfliteModel(file, description, List.copyOf(kept), operators, inputs, outputs, notes);
    }

    /** "op 12 CONV_2D (output "FeatureExtractor/...")": where an operator sits, for messages. */
    public String where(Operator op) {
        String out = op.outputs().length == 0 ? "no output" : "output \"" + tensor(op.outputs()[0]).opName() + "\"";
        return "op " + op.index() + " " + op.kind() + " (" + out + ")";
    }
}

package org.layerlens.engine.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.layerlens.engine.graph.Tracer;
import org.layerlens.engine.graph.Value;
import org.layerlens.engine.io.TensorData;
import org.layerlens.engine.io.TfliteModel;
import org.layerlens.engine.io.TfliteOptions;

/**
 * A leaf of a TFLite model's tree: the operator(s) whose output carries this scope's name
 * (usually one: a convolution with its batch norm and activation already fused by the converter),
 * with their weights as parameters in PyTorch's layouts ({@code weight} {@code [out, in / groups,
 * kh, kw]} for convolutions, {@code [out, in]} for fully connected layers; {@code bias}), so that
 * parameter counts, the tree and exports read as for a .pth. Its ops are emitted by
 * {@link TfliteOps} when the owning {@link TfliteNet} traces the graph.
 */
public final class TfliteLayer extends Module {
    private final List<TfliteModel.Operator> operators;
    private final List<String> weightNames = new ArrayList<>();
    private final List<String> biasNames = new ArrayList<>();
    private final List<Integer> inChannels = new ArrayList<>();

    TfliteLayer(TfliteModel model, List<TfliteModel.Operator> operators) {
        this.operators = List.copyOf(operators);
        for (int k = 0; k < operators.size(); k++) {
            TfliteModel.Operator op = operators.get(k);
            String suffix = k == 0 ? "" : "_" + k;
            int[] in = op.inputs().length == 0 || op.inputs()[0] < 0 ? new int[0] : model.tensor(op.inputs()[0]).shape();
            inChannels.add(in.length == 0 ? 0 : in[in.length - 1]);
            float[] w = TfliteOps.weight(model, op);
            float[] b = TfliteOps.bias(model, op);
            weightNames.add(w == null ? null : "weight" + suffix);
            biasNames.add(b == null ? null : "bias" + suffix);
            if (w != null) {
                long[] shape = TfliteOps.weightShape(model, op);
                declare("weight" + suffix, shape);
                params().get("weight" + suffix).set(new TensorData(shape, w, "float32"));
            }
            if (b != null) {
                long[] shape = {b.length};
                declare("bias" + suffix, shape);
                params().get("bias" + suffix).set(new TensorData(shape, b, "float32"));
            }
        }
    }

    /** The TFLite operators this module runs, in order. */
    public List<TfliteModel.Operator> operators() {
        return operators;
    }

    /** The weights of operator {@code k} of this module in PyTorch's layout, or null. */
    float[] weight(int k) {
        return weightNames.get(k) == null ? null : data(weightNames.get(k));
    }

    float[] bias(int k) {
        return biasNames.get(k) == null ? null : data(biasNames.get(k));
    }

    @Override
    public String typeName() {
        return String.join("+", operators.stream().map(TfliteModel.Operator::kind).toList());
    }

    @Override
    public String extraRepr() {
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < operators.size(); k++) {
            TfliteModel.Operator op = operators.get(k);
            TfliteOptions o = op.options();
            String weight = weightNames.get(k);
            long[] w = weight == null ? null : params().get(weight).shape();
            switch (op.kind()) {
                case "CONV_2D", "DEPTHWISE_CONV_2D" -> {
                    boolean dw = op.kind().startsWith("DEPTHWISE");
                    long in = inChannels.get(k);
                    parts.add(String.format(Locale.ROOT, "%d, %d, kernel_size=(%d, %d), stride=(%d, %d), padding=%s%s%s%s",
                            in, w[0], w[2], w[3], o.strideH(), o.strideW(), o.padding(),
                            o.dilationH() != 1 || o.dilationW() != 1
                                    ? ", dilation=(" + o.dilationH() + ", " + o.dilationW() + ")" : "",
                            dw ? ", groups=" + in : "", activation(o)));
                }
                case "FULLY_CONNECTED" -> parts.add("in_features=" + w[1] + ", out_features=" + w[0] + activation(o));
                case "AVERAGE_POOL_2D", "MAX_POOL_2D" -> parts.add(String.format(Locale.ROOT,
                        "kernel_size=(%d, %d), stride=(%d, %d), padding=%s%s", o.filterH(), o.filterW(), o.strideH(),
                        o.strideW(), o.padding(), activation(o)));
                case "ADD" -> parts.add(activation(o).isEmpty() ? "" : activation(o).substring(2));
                case "CONCATENATION" -> parts.add("axis=" + o.axis());
                case "SOFTMAX" -> parts.add("beta=" + o.beta());
                case "MEAN" -> parts.add("keep_dims=" + o.keepDims());
                default -> parts.add("");
            }
        }
        return String.join("; ", parts.stream().filter(s -> !s.isEmpty()).toList());
    }

    private static String activation(TfliteOptions o) {
        return o.activation().equals("NONE") ? "" : ", activation=" + o.activation();
    }

    @Override
    public Value forward(Value x, Tracer t) {
        throw new UnsupportedOperationException(path() + " is traced by its TfliteNet (it may read several tensors)");
    }
}

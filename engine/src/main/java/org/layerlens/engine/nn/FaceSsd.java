package org.layerlens.engine.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.Tracer;
import org.layerlens.engine.graph.Value;

/**
 * face-api's SSD MobileNetV1 face detector (TensorFlow object-detection layout), as a module
 * tree named after face-api's own parameters:
 * <ul>
 * <li>{@code mobilenetv1.conv_0}: 3x3 stride-2 convolution (batch norm folded into a bias by the
 * export: "convolution_bn_offset"), ReLU6; {@code conv_1..13}: depthwise 3x3 (stride 2 at 2, 4, 6,
 * 12), batch norm (eps 0.001), ReLU6, pointwise 1x1 with the folded offset, ReLU6. 512x512x3 ->
 * 256x256x32 -> ... -> 32x32x512 ({@code conv_11}, read by the first head) -> 16x16x1024.</li>
 * <li>{@code prediction_layer.conv_0..7}: 1x1 / 3x3 stride-2 pairs down to 1x1x128.</li>
 * <li>{@code prediction_layer.box_predictor_0..5}: 1x1 box-encoding and class convolutions on
 * conv_11, the backbone, conv_1, conv_3, conv_5, conv_7 (3, then 6 anchors per cell): 5118
 * anchors, given by the file ({@code output_layer.extra_dim}).</li>
 * </ul>
 * All convolutions use TensorFlow's 'same' padding.
 */
public final class FaceSsd extends Detector {
    public static final int ANCHORS = 5118;
    public static final int[] HEAD_CHANNELS = {512, 1024, 512, 256, 256, 128};
    static final int[] HEAD_ANCHORS = {3, 6, 6, 6, 6, 6};
    /** Prediction convolutions: in, out, kernel, stride. */
    public static final int[][] PREDICTION = {{1024, 256, 1, 1}, {256, 512, 3, 2}, {512, 128, 1, 1}, {128, 256, 3, 2},
                                              {256, 128, 1, 1}, {128, 256, 3, 2}, {256, 64, 1, 1}, {64, 128, 3, 2}};
    /** Backbone depthwise/pointwise pairs 1..13: in, out, depthwise stride. */
    public static final int[][] PAIRS = {{32, 64, 1}, {64, 128, 2}, {128, 128, 1}, {128, 256, 2}, {256, 256, 1},
                                         {256, 512, 2}, {512, 512, 1}, {512, 512, 1}, {512, 512, 1}, {512, 512, 1},
                                         {512, 512, 1}, {512, 1024, 2}, {1024, 1024, 1}};
    private static final List<String> SOURCES = List.of("mobilenetv1.conv_11", "mobilenetv1",
            "prediction_layer.conv_1", "prediction_layer.conv_3", "prediction_layer.conv_5", "prediction_layer.conv_7");

    /** A named holder whose children the owner runs (like face-api's parameter groups). */
    static final class Group extends Module {
        Group(LinkedHashMap<String, Module> named) {
            named.forEach(this::add);
        }

        Group(String tensor, long... shape) {
            declare(tensor, shape);
        }

        @Override
        public String typeName() {
            return "Params";
        }

        @Override
        public boolean callable() {
            return false;
        }

        @Override
        public Value forward(Value x, Tracer t) {
            throw new UnsupportedOperationException(path() + " holds parameters; it is not called");
        }
    }

    public FaceSsd() {
        LinkedHashMap<String, Module> backbone = new LinkedHashMap<>();
        backbone.put("conv_0", pointwise(Conv2d.same(3, 32, 3, 2, 1, true)));
        for (int i = 0; i < PAIRS.length; i++) {
            int[] p = PAIRS[i];
            LinkedHashMap<String, Module> pair = new LinkedHashMap<>();
            pair.put("depthwise_conv", Conv2d.same(p[0], p[0], 3, p[2], p[0], false));
            pair.put("batch_norm", new BatchNorm2d(p[0], 0.001));
            pair.put("relu6_depthwise", Act.relu6(false));
            pair.put("pointwise_conv", Conv2d.same(p[0], p[1], 1, 1, 1, true));
            pair.put("relu6", Act.relu6(false));
            backbone.put("conv_" + (i + 1), new Sequential(pair));
        }
        add("mobilenetv1", new Sequential(backbone));
        LinkedHashMap<String, Module> pred = new LinkedHashMap<>();
        for (int i = 0; i < PREDICTION.length; i++) {
            int[] p = PREDICTION[i];
            pred.put("conv_" + i, pointwise(Conv2d.same(p[0], p[1], p[2], p[3], 1, true)));
        }
        for (int i = 0; i < HEAD_CHANNELS.length; i++) {
            LinkedHashMap<String, Module> head = new LinkedHashMap<>();
            head.put("box_encoding_predictor", Conv2d.same(HEAD_CHANNELS[i], HEAD_ANCHORS[i] * 4, 1, 1, 1, true));
            head.put("class_predictor", Conv2d.same(HEAD_CHANNELS[i], HEAD_ANCHORS[i] * 3, 1, 1, 1, true));
            pred.put("box_predictor_" + i, new Group(head));
        }
        add("prediction_layer", new Group(pred));
        add("output_layer", new Group("extra_dim", 1, ANCHORS, 4));
        assignPaths("");
    }

    /** face-api's pointwiseConvLayer: convolution, + folded batch-norm offset (the bias), ReLU6. */
    private static Sequential pointwise(Conv2d conv) {
        LinkedHashMap<String, Module> m = new LinkedHashMap<>();
        m.put("conv", conv);
        m.put("relu6", Act.relu6(false));
        return new Sequential(m);
    }

    @Override
    public List<String> sourcePaths() {
        return SOURCES;
    }

    @Override
    public Sequential trunk() {
        return (Sequential) child("mobilenetv1");
    }

    @Override
    public List<Module> afterTrunk() {
        List<Module> out = new ArrayList<>();
        for (int i = 0; i < PREDICTION.length; i++) {
            out.add(child("prediction_layer").child("conv_" + i));
        }
        return out;
    }

    @Override
    public String rootName() {
        return "SsdMobilenetv1";
    }

    @Override
    public Graph trace(int size) {
        Tracer t = new Tracer();
        Value x = t.call(trunk(), t.input(size, size, 3));
        for (Module m : afterTrunk()) {
            x = t.call(m, x);
        }
        Module pred = child("prediction_layer");
        for (int i = 0; i < SOURCES.size(); i++) {
            Value src = t.outputOf(SOURCES.get(i));
            Module head = pred.child("box_predictor_" + i);
            t.output("cls." + i, t.call(head.child("class_predictor"), src));
            t.output("reg." + i, t.call(head.child("box_encoding_predictor"), src));
        }
        return t.finish();
    }

    /** The 5118 anchors (ymin, xmin, ymax, xmax), relative to the padded square. */
    public float[] anchors() {
        return child("output_layer").params().get("extra_dim").value().data();
    }
}

package org.layerlens.engine.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import org.layerlens.engine.exec.Execution;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.image.Preprocess;
import org.layerlens.engine.ssd.FaceApiNms;
import org.layerlens.engine.ssd.SsdOutput;
import org.nd4j.linalg.api.ndarray.INDArray;

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
 * All convolutions use TensorFlow's 'same' padding. Scores are sigmoid(logit 1) of 3 logits per
 * anchor; boxes are decoded as TF's faster-rcnn box coder with scales 10, 10, 5, 5.
 */
public final class FaceSsd extends Detector {
    public static final String ARCHITECTURE = "faces-v1";
    public static final int SIZE = 512;
    public static final int ANCHORS = 5118;
    static final int[] HEAD_CHANNELS = {512, 1024, 512, 256, 256, 128};
    static final int[] HEAD_ANCHORS = {3, 6, 6, 6, 6, 6};
    /** Prediction convolutions: in, out, kernel, stride. */
    static final int[][] PREDICTION = {{1024, 256, 1, 1}, {256, 512, 3, 2}, {512, 128, 1, 1}, {128, 256, 3, 2},
                                       {256, 128, 1, 1}, {128, 256, 3, 2}, {256, 64, 1, 1}, {64, 128, 3, 2}};
    /** Backbone depthwise/pointwise pairs 1..13: in, out, depthwise stride. */
    static final int[][] PAIRS = {{32, 64, 1}, {64, 128, 2}, {128, 128, 1}, {128, 256, 2}, {256, 256, 1},
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
        public INDArray forward(INDArray x, Execution ex) {
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
            pair.put("relu6_depthwise", new ReLU6(false));
            pair.put("pointwise_conv", Conv2d.same(p[0], p[1], 1, 1, 1, true));
            pair.put("relu6", new ReLU6(false));
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
        m.put("relu6", new ReLU6(false));
        return new Sequential(m);
    }

    @Override
    public String architecture() {
        return ARCHITECTURE;
    }

    @Override
    public int numClasses() {
        return 2;
    }

    @Override
    public int imageSize() {
        return SIZE;
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
    public INDArray toInput(LoadedImage img) {
        return Preprocess.toTensorTfSquare(img, SIZE);
    }

    @Override
    public List<String> defaultLabels() {
        return List.of("BACKGROUND", "face");
    }

    @Override
    public double defaultIou() {
        return 0.5;
    }

    @Override
    public String rootName() {
        return "SsdMobilenetv1";
    }

    @Override
    protected SsdOutput predictIn(INDArray x, Execution ex, int imageWidth, int imageHeight) {
        runTrunkAndAfter(x, ex);
        float[] enc = new float[ANCHORS * 4];
        float[] logits = new float[ANCHORS * 3];
        int at = 0;
        Module pred = child("prediction_layer");
        for (int i = 0; i < SOURCES.size(); i++) {
            INDArray source = ex.tap(SOURCES.get(i));
            Module head = pred.child("box_predictor_" + i);
            int n = copyNhwc(ex, ex.call(head.child("box_encoding_predictor"), source), enc, at * 4) / 4;
            copyNhwc(ex, ex.call(head.child("class_predictor"), source), logits, at * 3);
            at += n;
        }
        ex.releaseTaps();
        if (at != ANCHORS) {
            throw new IllegalStateException("heads produced " + at + " anchors, expected " + ANCHORS);
        }
        return decode(enc, logits, imageWidth, imageHeight);
    }

    /** [1, A*k, H, W] -> the NHWC order TF.js reshapes ([H, W, A, k]) into {@code dst}; returns the count. */
    private static int copyNhwc(Execution ex, INDArray head, float[] dst, int offset) {
        INDArray nhwc = nhwcCopy(ex, head);
        float[] v = nhwc.data().asFloat();
        System.arraycopy(v, 0, dst, offset, v.length);
        nhwc.close();
        return v.length;
    }

    /**
     * face-api's outputLayer: anchors (ymin, xmin, ymax, xmax) and encodings (ty, tx, th, tw) ->
     * boxes, sigmoid scores; float32 after each step as TF.js's kernels store them. Boxes are then
     * expressed relative to the original image (the padded square is max(w, h) wide).
     */
    private SsdOutput decode(float[] enc, float[] logits, int imageWidth, int imageHeight) {
        float[] a = anchors();
        double[] pad = padFactors(imageWidth, imageHeight);
        float[] scores = new float[ANCHORS * 2];
        float[] boxes = new float[ANCHORS * 4];
        for (int j = 0; j < ANCHORS; j++) {
            float h = a[4 * j + 2] - a[4 * j];
            float w = a[4 * j + 3] - a[4 * j + 1];
            float cy = a[4 * j] + h / 2f;
            float cx = a[4 * j + 1] + w / 2f;
            float halfH = f(f(f(Math.exp(f(enc[4 * j + 2] / 5.0))) * h) / 2.0);
            float centerY = f(f(f(enc[4 * j] / 10.0) * h) + cy);
            float halfW = f(f(f(Math.exp(f(enc[4 * j + 3] / 5.0))) * w) / 2.0);
            float centerX = f(f(f(enc[4 * j + 1] / 10.0) * w) + cx);
            float ymin = centerY - halfH;
            float xmin = centerX - halfW;
            float ymax = centerY + halfH;
            float xmax = centerX + halfW;
            boxes[4 * j] = (float) (xmin * pad[0]);
            boxes[4 * j + 1] = (float) (ymin * pad[1]);
            boxes[4 * j + 2] = (float) (xmax * pad[0]);
            boxes[4 * j + 3] = (float) (ymax * pad[1]);
            float s = f(1.0 / (1.0 + Math.exp(-logits[3 * j + 1])));
            scores[2 * j] = 1f - s;
            scores[2 * j + 1] = s;
        }
        return new SsdOutput(scores, boxes, ANCHORS, 2, imageWidth, imageHeight,
                new FaceApiNms(pad[0], pad[1], 100));
    }

    /**
     * face-api's padX, padY: the padded square's size over the image's size once resized into it
     * ({@code computeReshapedDimensions}: rounded), i.e. the square's right and bottom edges in
     * image-relative units.
     */
    public static double[] padFactors(int width, int height) {
        double scale = (double) SIZE / Math.max(width, height);
        return new double[] {SIZE / (double) Math.round(width * scale), SIZE / (double) Math.round(height * scale)};
    }

    private static float f(double v) {
        return (float) v;
    }

    private float[] anchors;

    /** The 5118 anchors (ymin, xmin, ymax, xmax), relative to the padded square. */
    public synchronized float[] anchors() {
        if (anchors == null) {
            anchors = child("output_layer").tensors().get("extra_dim").value().data().asFloat();
        }
        return anchors;
    }

    @Override
    protected void loaded() {
        anchors = null;
    }
}

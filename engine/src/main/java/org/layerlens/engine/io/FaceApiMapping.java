package org.layerlens.engine.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.layerlens.engine.nn.FaceSsd;
import org.layerlens.engine.nn.Module;

/**
 * Maps face-api's SSD MobileNetV1 weights (TF.js manifest names, TensorFlow layouts) onto
 * {@link FaceSsd}'s module tree (PyTorch layouts): HWIO convolution filters become OIHW,
 * depthwise [kh, kw, C, 1] filters become [C, 1, kh, kw]. Every tensor the tree declares must be
 * in the file with the right shape; the graph's int32 constants are ignored.
 */
final class FaceApiMapping {
    private FaceApiMapping() {
    }

    /** Where one of our tensors comes from: its TF.js name and the permutation to our layout (null: none). */
    record Source(String tf, int[] perm) {
    }

    /** Our key -> its source in the manifest. */
    static LinkedHashMap<String, Source> names() {
        LinkedHashMap<String, Source> m = new LinkedHashMap<>();
        int[] conv = {3, 2, 0, 1};
        int[] dw = {2, 3, 0, 1};
        m.put("mobilenetv1.conv_0.conv.weight", new Source("MobilenetV1/Conv2d_0_pointwise/weights", conv));
        m.put("mobilenetv1.conv_0.conv.bias", new Source("MobilenetV1/Conv2d_0_pointwise/convolution_bn_offset", null));
        for (int i = 1; i <= FaceSsd.PAIRS.length; i++) {
            String ours = "mobilenetv1.conv_" + i + ".";
            String tf = "MobilenetV1/Conv2d_" + i;
            m.put(ours + "depthwise_conv.weight", new Source(tf + "_depthwise/depthwise_weights", dw));
            m.put(ours + "batch_norm.weight", new Source(tf + "_depthwise/BatchNorm/gamma", null));
            m.put(ours + "batch_norm.bias", new Source(tf + "_depthwise/BatchNorm/beta", null));
            m.put(ours + "batch_norm.running_mean", new Source(tf + "_depthwise/BatchNorm/moving_mean", null));
            m.put(ours + "batch_norm.running_var", new Source(tf + "_depthwise/BatchNorm/moving_variance", null));
            m.put(ours + "pointwise_conv.weight", new Source(tf + "_pointwise/weights", conv));
            m.put(ours + "pointwise_conv.bias", new Source(tf + "_pointwise/convolution_bn_offset", null));
        }
        for (int i = 0; i < FaceSsd.PREDICTION.length; i++) {
            m.put("prediction_layer.conv_" + i + ".conv.weight", new Source("Prediction/Conv2d_" + i + "_pointwise/weights", conv));
            m.put("prediction_layer.conv_" + i + ".conv.bias",
                    new Source("Prediction/Conv2d_" + i + "_pointwise/convolution_bn_offset", null));
        }
        for (int i = 0; i < FaceSsd.HEAD_CHANNELS.length; i++) {
            String ours = "prediction_layer.box_predictor_" + i + ".";
            String tf = "Prediction/BoxPredictor_" + i + "/";
            m.put(ours + "box_encoding_predictor.weight", new Source(tf + "BoxEncodingPredictor/weights", conv));
            m.put(ours + "box_encoding_predictor.bias", new Source(tf + "BoxEncodingPredictor/biases", null));
            m.put(ours + "class_predictor.weight", new Source(tf + "ClassPredictor/weights", conv));
            m.put(ours + "class_predictor.bias", new Source(tf + "ClassPredictor/biases", null));
        }
        m.put("output_layer.extra_dim", new Source("Output/extra_dim", null));
        return m;
    }

    /** face-api's tensors renamed and re-laid-out as the faces-v1 tree's state_dict. */
    static StateDict map(Path file, Map<String, TensorData> tf, List<String> notes) throws CheckpointException {
        LinkedHashMap<String, Source> names = names();
        List<String> missing = new ArrayList<>();
        for (Source v : names.values()) {
            if (!tf.containsKey(v.tf())) {
                missing.add(v.tf());
            }
        }
        if (!missing.isEmpty()) {
            int have = names.size() - missing.size();
            throw new CheckpointException(file, "is a TF.js weights manifest with " + tf.size() + " tensors, but not "
                    + "face-api's SSD MobileNetV1 (the only TF.js model LayerLens reads): " + have + " of its "
                    + names.size() + " tensors found; missing " + String.join(", ", missing.subList(0,
                    Math.min(4, missing.size()))) + (missing.size() > 4 ? ", ..." : ""));
        }
        Map<String, Module.Param> slots = new LinkedHashMap<>();
        new FaceSsd().forEachParam(slots::put);
        LinkedHashMap<String, TensorData> sd = new LinkedHashMap<>();
        for (Map.Entry<String, Source> e : names.entrySet()) {
            String tfName = e.getValue().tf();
            int[] perm = e.getValue().perm();
            TensorData t = tf.get(tfName);
            long[] want = slots.get(e.getKey()).shape();
            TensorData mapped = perm == null ? t : permute(t, perm);
            if (!java.util.Arrays.equals(mapped.shape(), want)) {
                throw new CheckpointException(file, "tensor '" + tfName + "' has shape " + java.util.Arrays.toString(t.shape())
                        + "; face-api's SSD MobileNetV1 needs " + java.util.Arrays.toString(perm == null ? want
                        : unpermute(want, perm)));
            }
            sd.put(e.getKey(), mapped);
        }
        int ignored = tf.size() - names.size();
        notes.add("TF.js weights manifest: " + names.size() + " tensors mapped to the module tree (TensorFlow layouts "
                + "turned into PyTorch's)" + (ignored > 0 ? ", " + ignored + " graph constants ignored" : ""));
        long quantised = tf.values().stream().filter(t -> t.dtype().startsWith("uint")).count();
        if (quantised > 0) {
            notes.add(quantised + " tensors stored quantised (uint8/uint16), restored as TF.js does: q * scale + min");
        }
        return new StateDict(file, sd);
    }

    private static long[] unpermute(long[] ours, int[] perm) {
        long[] tf = new long[ours.length];
        for (int i = 0; i < perm.length; i++) {
            tf[perm[i]] = ours[i];
        }
        return tf;
    }

    /** Row-major transpose: result dimension i is source dimension perm[i]. */
    static TensorData permute(TensorData t, int[] perm) {
        long[] s = t.shape();
        if (s.length != perm.length) {
            return t; // rank differs: the shape check reports it
        }
        int r = s.length;
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            out[i] = s[perm[i]];
        }
        long[] srcStride = new long[r];
        long acc = 1;
        for (int i = r - 1; i >= 0; i--) {
            srcStride[i] = acc;
            acc *= s[i];
        }
        float[] src = t.data();
        float[] dst = new float[src.length];
        int[] idx = new int[r];
        for (int k = 0; k < dst.length; k++) {
            long off = 0;
            for (int i = 0; i < r; i++) {
                off += idx[i] * srcStride[perm[i]];
            }
            dst[k] = src[(int) off];
            for (int i = r - 1; i >= 0; i--) {
                if (++idx[i] < out[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return new TensorData(out, dst, t.dtype());
    }
}

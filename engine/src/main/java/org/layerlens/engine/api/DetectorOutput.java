package org.layerlens.engine.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.layerlens.engine.graph.ReceptiveField;
import org.layerlens.engine.ssd.Decoded;
import org.layerlens.engine.ssd.HeadLayout;
import org.layerlens.engine.ssd.Nms;

/**
 * A detector's outputs for one image, decoded as the model's own code does: per-anchor scores,
 * raw offsets, decoded boxes and priors, and the heads' raw maps. Detections (with their
 * provenance) and prior queries are computed from it without running the network again, so
 * thresholds, IoU and "why" questions cost bookkeeping only.
 */
public final class DetectorOutput {
    private final Model model;
    private final Decoded decoded;
    private final Map<String, float[]> raw;
    private final int imageWidth;
    private final int imageHeight;
    private final double[] factors;

    DetectorOutput(Model model, Decoded decoded, Map<String, float[]> raw, int imageWidth, int imageHeight,
                   double[] factors) {
        this.model = model;
        this.decoded = decoded;
        this.raw = raw;
        this.imageWidth = imageWidth;
        this.imageHeight = imageHeight;
        this.factors = factors;
    }

    public Model model() {
        return model;
    }

    /** Width and height of the original image, the units of every box. */
    public int imageWidth() {
        return imageWidth;
    }

    public int imageHeight() {
        return imageHeight;
    }

    public int priors() {
        return decoded.anchors();
    }

    public int classes() {
        return decoded.classes();
    }

    /** {@code [priors, classes]} scores as the model computes them (pytorch-ssd: softmax). */
    public float[] scores() {
        return decoded.scores();
    }

    /** {@code [priors, 4]} decoded boxes, corners relative to the image (unclipped; pytorch-ssd's is_test output). */
    public float[] boxes() {
        return decoded.boxes();
    }

    /** {@code [priors, 4]} raw regression offsets. */
    public float[] offsets() {
        return decoded.offsets();
    }

    /** The heads' raw maps by name ({@code cls.i}, {@code reg.i}), channels-last. */
    public Map<String, float[]> raw() {
        return raw;
    }

    /** Prior {@code i} in image pixels. */
    public Box prior(int i) {
        return pixels(decoded.priors(), i);
    }

    /** Decoded box of anchor {@code i} in image pixels, unclipped. */
    public Box decodedBox(int i) {
        return pixels(decoded.boxes(), i);
    }

    private Box pixels(float[] b, int i) {
        return new Box(b[4 * i] * (double) imageWidth, b[4 * i + 1] * (double) imageHeight,
                b[4 * i + 2] * (double) imageWidth, b[4 * i + 3] * (double) imageHeight);
    }

    /**
     * The model's detections above {@code threshold}, after its own NMS at {@code iou}, each with
     * its provenance; boxes clipped to the image. Ordered as the model's code orders them
     * (pytorch-ssd: by class, best first within a class).
     */
    public List<Detection> detections(double threshold, double iou, int candidates) {
        List<String> labels = model.labels();
        List<Detection> out = new ArrayList<>();
        for (Nms.Pick p : model.spec().post().nms().select(decoded, threshold, iou, candidates)) {
            String label = p.classId() < labels.size() ? labels.get(p.classId()) : Integer.toString(p.classId());
            Box raw = decodedBox(p.anchor());
            out.add(new Detection(p.classId(), label, p.score(), raw.clip(imageWidth, imageHeight),
                    provenance(p, raw)));
        }
        return out;
    }

    /** Detections with the model's default NMS IoU and candidate limit. */
    public List<Detection> detections(double threshold) {
        return detections(threshold, model.defaultIou(), model.candidates());
    }

    private Provenance provenance(Nms.Pick p, Box raw) {
        int i = p.anchor();
        HeadLayout.Origin o = model.layout().locate(i);
        List<Provenance.Suppressed> sup = new ArrayList<>();
        for (Nms.Suppressed s : p.suppressed()) {
            sup.add(new Provenance.Suppressed(s.anchor(), s.score(), decodedBox(s.anchor()), s.iou()));
        }
        return new Provenance(o.head(), o.rows(), o.cols(), o.row(), o.col(), o.anchor(), i, prior(i),
                Arrays.copyOfRange(decoded.offsets(), 4 * i, 4 * i + 4), raw, classScores(i),
                receptiveField(o.head(), o.row(), o.col()), List.copyOf(sup));
    }

    public float[] classScores(int anchor) {
        int k = decoded.classes();
        return Arrays.copyOfRange(decoded.scores(), anchor * k, anchor * k + k);
    }

    /**
     * The receptive field of a head's cell in image pixels: the network-input pixels any of whose
     * values can change the cell (from the graph's kernels, strides, paddings, dilations), mapped
     * back through the input transform and clipped to the image.
     */
    public Box receptiveField(int head, int row, int col) {
        ReceptiveField.Field f = model.headField(head);
        int s = model.inputSize();
        long[] b = f.box(row, col, s, s);
        double x1 = Math.max(0, b[0]) / (double) s;
        double y1 = Math.max(0, b[1]) / (double) s;
        double x2 = Math.min(s, b[2] + 1) / (double) s;
        double y2 = Math.min(s, b[3] + 1) / (double) s;
        return new Box(x1 * factors[0] * imageWidth, y1 * factors[1] * imageHeight, x2 * factors[0] * imageWidth,
                y2 * factors[1] * imageHeight).clip(imageWidth, imageHeight);
    }

    /**
     * "Where should it have been?": the {@code count} priors with the highest IoU with {@code box}
     * (image pixels), with the model's class scores and decoded boxes there.
     */
    public List<PriorMatch> bestPriors(Box box, int count) {
        int n = decoded.anchors();
        double[] iou = new double[n];
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            iou[i] = prior(i).iou(box);
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.comparingDouble((Integer i) -> -iou[i]).thenComparingInt(i -> i));
        List<PriorMatch> out = new ArrayList<>();
        for (int k = 0; k < Math.min(count, n); k++) {
            int i = idx[k];
            HeadLayout.Origin o = model.layout().locate(i);
            out.add(new PriorMatch(i, o.head(), o.row(), o.col(), o.anchor(), prior(i), iou[i], classScores(i),
                    decodedBox(i)));
        }
        return out;
    }
}

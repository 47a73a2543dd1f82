package org.layerlens.engine.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.layerlens.engine.graph.ReceptiveField;
import org.layerlens.engine.image.LoadedImage;
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
    private final int loadedWidth;
    private final int loadedHeight;
    private final double[] factors;

    DetectorOutput(Model model, Decoded decoded, Map<String, float[]> raw, LoadedImage img, double[] factors) {
        this.model = model;
        this.decoded = decoded;
        this.raw = raw;
        this.imageWidth = img.originalWidth();
        this.imageHeight = img.originalHeight();
        this.loadedWidth = img.width();
        this.loadedHeight = img.height();
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

    /**
     * How many priors have a score or box that is not a finite number (NaN or infinite weights, or
     * an overflow on the way): NMS can never pick them, so without this count they vanish unsaid.
     */
    public int nonFinitePriors() {
        int k = decoded.classes();
        float[] sc = decoded.scores();
        float[] bx = decoded.boxes();
        int n = 0;
        for (int i = 0; i < priors(); i++) {
            boolean finite = true;
            for (int c = 0; c < k && finite; c++) {
                finite = Float.isFinite(sc[i * k + c]);
            }
            for (int j = 0; j < 4 && finite; j++) {
                finite = Float.isFinite(bx[4 * i + j]);
            }
            n += finite ? 0 : 1;
        }
        return n;
    }

    public float[] classScores(int anchor) {
        int k = decoded.classes();
        return Arrays.copyOfRange(decoded.scores(), anchor * k, anchor * k + k);
    }

    /**
     * The receptive field of a head's cell in image pixels: the network-input pixels any of whose
     * values can change the cell's scores or box ({@link #inputField}), mapped back through the
     * input transform's resampling (and padding) to the image pixels those read, clipped to the
     * image. Box edges are pixel edges: a field of pixels 3..10 is {@code [3, ..., 11, ...]}.
     */
    public Box receptiveField(int head, int row, int col) {
        long[] f = inputField(head, row, col);
        // pixels no op reads (a strided first layer without padding stops short of the last ones)
        long[] rr = model.receptiveFields().readable(true);
        long[] rc = model.receptiveFields().readable(false);
        f = new long[] {f[0], f[1], Math.min(f[2], rc[1]), Math.min(f[3], rr[1])};
        var t = model.spec().input();
        int[] xs = t.readSpan(f[0], f[2], loadedWidth, loadedHeight, true);
        int[] ys = t.readSpan(f[1], f[3], loadedWidth, loadedHeight, false);
        if (xs == null || ys == null) {
            // the cell reads only the padding beyond the image: an empty box at the image's edge
            double x = xs == null ? imageWidth : xs[0] * sx();
            double y = ys == null ? imageHeight : ys[0] * sy();
            return new Box(x, y, x, y);
        }
        return new Box(xs[0] * sx(), ys[0] * sy(), (xs[1] + 1) * sx(), (ys[1] + 1) * sy());
    }

    /** Original over decoded pixels (photos shrunk on reading). */
    private double sx() {
        return imageWidth / (double) loadedWidth;
    }

    private double sy() {
        return imageHeight / (double) loadedHeight;
    }

    /**
     * The receptive field of a head's cell in network-input pixels, {@code [x1, y1, x2, y2]}
     * inclusive and unclipped: beyond {@code 0..size-1} it reaches into the convolutions' padding.
     */
    public long[] inputField(int head, int row, int col) {
        int s = model.inputSize();
        return model.headField(head).box(row, col, s, s);
    }

    /** The network's input square in image pixels (beyond the image where the transform pads). */
    public Box inputExtent() {
        return new Box(0, 0, factors[0] * imageWidth, factors[1] * imageHeight);
    }

    /**
     * Where a head looks for class {@code cls}: each cell's score (the best of its anchors), a
     * row-major {@code rows x cols} map of the head's grid over {@link #inputExtent()}.
     */
    public float[] classMap(int head, int cls) {
        if (cls < 0 || cls >= decoded.classes()) {
            throw new IllegalArgumentException("class " + cls + " of " + decoded.classes());
        }
        HeadLayout.Head h = model.layout().heads().get(head);
        float[] out = new float[h.rows() * h.cols()];
        int k = decoded.classes();
        float[] sc = decoded.scores();
        for (int cell = 0; cell < out.length; cell++) {
            float best = Float.NEGATIVE_INFINITY;
            for (int a = 0; a < h.anchors(); a++) {
                best = Math.max(best, sc[(h.first() + cell * h.anchors() + a) * k + cls]);
            }
            out[cell] = best;
        }
        return out;
    }

    /**
     * "Where should it have been?": the {@code count} priors with the highest IoU with {@code box}
     * (image pixels; ties to the lower index), with the model's class scores and decoded boxes there.
     */
    public List<PriorMatch> bestPriors(Box box, int count) {
        int n = decoded.anchors();
        double[] iou = new double[n];
        for (int i = 0; i < n; i++) {
            iou[i] = prior(i).iou(box);
        }
        List<PriorMatch> out = new ArrayList<>();
        boolean[] taken = new boolean[n];
        for (int k = 0; k < Math.min(count, n); k++) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (!taken[i] && (best < 0 || iou[i] > iou[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            HeadLayout.Origin o = model.layout().locate(best);
            out.add(new PriorMatch(best, o.head(), o.row(), o.col(), o.anchor(), prior(best), iou[best],
                    classScores(best), decodedBox(best)));
        }
        return out;
    }

    /**
     * "Why was this object missed?": the {@code count} best priors for {@code box} (image
     * pixels), whether any reaches the model's training match threshold, and why not.
     */
    public PriorQuery query(Box box, int count) {
        return PriorQuery.of(box, bestPriors(box, count), model, decoded.priors(), factors, imageWidth, imageHeight);
    }
}

package org.layerlens.engine.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.layerlens.engine.api.Box;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.DetectorOutput;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.api.Provenance;
import org.layerlens.engine.arch.FaceApi;
import org.layerlens.engine.graph.Value;
import org.layerlens.engine.nn.FaceSsd;
import org.layerlens.engine.ssd.PriorSpec;

/**
 * Checks every detection's provenance without DetectorOutput's own code path: the test finds the
 * head's slice in the raw output order from the graph's output shapes, reads the raw maps at
 * (row, col, anchor) itself, makes the prior from the architecture's definition (pytorch-ssd's
 * {@code generate_ssd_priors} formula; face-api's anchors from the weights file), decodes and
 * scores in double as the original code does, and, where a reference gives every prior's scores
 * and boxes (PyTorch, face-api under Node), compares with those too. NMS's suppressed lists are
 * recomputed: each suppressed candidate's score, box and IoU, and, per class, detections plus
 * what they suppressed are exactly the candidates above the threshold.
 */
public final class ProvenanceCheck {
    /** Largest differences seen, for the test's printout. */
    public record Report(int detections, int suppressed, double scoreDiff, double boxDiffPx, boolean referenced,
                         double refScoreDiff, double refBoxDiffPx) {
    }

    private ProvenanceCheck() {
    }

    /**
     * @param refScores {@code [priors, classes]} from an independent reference, or null
     * @param refBoxes  {@code [priors, 4]} image-relative corners from it, or null
     */
    public static Report check(Model m, DetectorOutput out, List<Detection> dets, double threshold, double iou,
                               float[] refScores, float[] refBoxes) {
        int w = out.imageWidth();
        int h = out.imageHeight();
        int heads = m.layout().heads().size();
        int[] first = new int[heads];
        int[][] dims = new int[heads][];
        int n = 0;
        for (int i = 0; i < heads; i++) {
            Value reg = m.graph().outputs().get("reg." + i);
            dims[i] = reg.dims();
            first[i] = n;
            n += (int) (reg.elements() / 4);
        }
        assertEquals(n, out.priors(), "priors");
        int k = m.classes();
        double worstScore = 0;
        double worstBox = 0;
        double worstRefScore = 0;
        double worstRefBox = 0;
        int sup = 0;
        Set<Long> kept = new HashSet<>();
        for (Detection d : dets) {
            Provenance p = d.provenance();
            String where = m.name() + " " + d.label() + " " + d.score() + " prior " + p.priorIndex();
            int hd = p.head();
            int anchors = dims[hd][2] / 4;
            assertEquals(dims[hd][0], p.rows(), where + " rows");
            assertEquals(dims[hd][1], p.cols(), where + " cols");
            assertEquals(first[hd] + (p.row() * p.cols() + p.col()) * anchors + p.anchor(), p.priorIndex(),
                    where + ": prior index from head, cell and anchor");
            int cell = p.row() * p.cols() + p.col();
            float[] reg = out.raw().get("reg." + hd);
            float[] off = new float[4];
            for (int j = 0; j < 4; j++) {
                off[j] = reg[cell * anchors * 4 + p.anchor() * 4 + j];
            }
            assertArrayEquals(off, p.offsets(), where + ": offsets are the raw box map at the cell and anchor");
            double[] scores = scores(m, out.raw().get("cls." + hd), cell, anchors, p.anchor());
            for (int c = 0; c < k; c++) {
                worstScore = Math.max(worstScore, Math.abs(scores[c] - p.classScores()[c]));
            }
            assertEquals(p.classScores()[d.classId()], d.score(), 0.0, where + ": score is the class's score");
            assertEquals(scores[d.classId()], d.score(), 1e-6, where + ": score from the raw class map");
            double[] prior = prior(m, out, hd, p.row(), p.col(), p.anchor(), p.priorIndex());
            double[] got = p.prior().toArray();
            for (int j = 0; j < 4; j++) {
                assertEquals(prior[j], got[j], 1e-3, where + ": prior corner " + j);
            }
            double[] box = decode(m, out, prior, off);
            double[] dec = p.decoded().toArray();
            assertBoxes(box, dec, where + ": decoded box");
            for (int j = 0; j < 4; j++) {
                if (Math.abs(box[j]) < 1e4) { // beyond that, random weights overflowed: compared relatively
                    worstBox = Math.max(worstBox, diff(box[j], dec[j]));
                }
            }
            Box clipped = new Box(box[0], box[1], box[2], box[3]).clip(w, h);
            assertBoxes(clipped.toArray(), d.box().toArray(), where + ": the box is the decoded box clipped");
            if (refScores != null) {
                worstRefScore = Math.max(worstRefScore, Math.abs(refScores[p.priorIndex() * k + d.classId()] - d.score()));
                double[] size = {w, h, w, h};
                for (int j = 0; j < 4; j++) {
                    worstRefBox = Math.max(worstRefBox, Math.abs(refBoxes[4 * p.priorIndex() + j] * size[j] - dec[j]));
                }
            }
            kept.add(key(d.classId(), p.priorIndex()));
            for (Provenance.Suppressed s : p.suppressed()) {
                sup++;
                String sw = where + ": suppressed prior " + s.priorIndex();
                assertTrue(s.score() <= d.score(), sw + " scores above the detection");
                assertEquals(out.scores()[s.priorIndex() * k + d.classId()], s.score(), 0.0, sw + " score");
                var o = m.layout().locate(s.priorIndex());
                int sa = dims[o.head()][2] / 4;
                float[] sreg = out.raw().get("reg." + o.head());
                float[] soff = new float[4];
                for (int j = 0; j < 4; j++) {
                    soff[j] = sreg[(o.row() * o.cols() + o.col()) * sa * 4 + o.anchor() * 4 + j];
                }
                double[] sbox = decode(m, out, prior(m, out, o.head(), o.row(), o.col(), o.anchor(),
                        s.priorIndex()), soff);
                assertBoxes(sbox, s.box().toArray(), sw + " box");
                double overlap = nmsIou(m, sbox, p.decoded().toArray(), w, h);
                assertEquals(overlap, s.iou(), 1e-4, sw + " IoU");
                assertTrue(s.iou() > iou, sw + " IoU " + s.iou() + " not above " + iou);
                if (refScores != null) {
                    worstRefScore = Math.max(worstRefScore,
                            Math.abs(refScores[s.priorIndex() * k + d.classId()] - s.score()));
                }
                kept.add(key(d.classId(), s.priorIndex()));
            }
        }
        // per class: the detections and what they suppressed are every candidate above the threshold
        for (int c = 1; c < k; c++) {
            List<Integer> above = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (out.scores()[i * k + c] > threshold) {
                    above.add(i);
                }
            }
            if (above.size() > m.candidates()) {
                continue; // the candidate limit cut the rest before NMS
            }
            for (int i : above) {
                assertTrue(kept.contains(key(c, i)), m.name() + ": class " + c + " candidate prior " + i
                        + " is neither a detection nor suppressed by one");
            }
        }
        assertTrue(worstScore <= 1e-6, "class scores differ by " + worstScore);
        assertTrue(worstBox <= 0.05, "decoded boxes differ by " + worstBox + " px");
        return new Report(dets.size(), sup, worstScore, worstBox, refScores != null, worstRefScore, worstRefBox);
    }

    /**
     * IoU as the model's NMS computes it: on image-relative corners, with pytorch-ssd's 1e-5 in the
     * denominator (face-api has none).
     */
    static double nmsIou(Model m, double[] a, double[] b, int w, int h) {
        double iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) / w;
        double ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1])) / h;
        double inter = iw * ih;
        double areaA = Math.max(0, a[2] - a[0]) / w * Math.max(0, a[3] - a[1]) / h;
        double areaB = Math.max(0, b[2] - b[0]) / w * Math.max(0, b[3] - b[1]) / h;
        double eps = m.spec().name().equals(FaceApi.NAME) ? 0 : 1e-5;
        return inter / (areaA + areaB - inter + eps);
    }

    private static long key(int cls, int prior) {
        return ((long) cls << 32) | prior;
    }

    /** Every class's score at one anchor from the raw class map: softmax (pytorch-ssd) or face-api's sigmoid. */
    static double[] scores(Model m, float[] cls, int cell, int anchors, int anchor) {
        int k = m.classes();
        if (m.spec().name().equals(FaceApi.NAME)) {
            // three logits per anchor; the face score is the sigmoid of the second
            int at = cell * anchors * 3 + anchor * 3;
            double s = 1 / (1 + Math.exp(-cls[at + 1]));
            return new double[] {1 - s, s};
        }
        int at = cell * anchors * k + anchor * k;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, cls[at + c]);
        }
        double sum = 0;
        double[] e = new double[k];
        for (int c = 0; c < k; c++) {
            e[c] = Math.exp(cls[at + c] - max);
            sum += e[c];
        }
        for (int c = 0; c < k; c++) {
            e[c] /= sum;
        }
        return e;
    }

    /**
     * Box corners within 0.05 px; where random weights blew a box up beyond 1e4 px (to 1e9..1e22 px
     * on VGG16-SSD and MobileNetV3-Large), within 1e-4 of its size: exp(0.2 x) of a large offset x
     * amplifies float32's rounding (the engine) against double (here) to a few 1e-6.
     */
    static void assertBoxes(double[] want, double[] got, String what) {
        for (int j = 0; j < 4; j++) {
            double tol = Math.abs(want[j]) < 1e4 ? 0.05 : 1e-4 * Math.abs(want[j]);
            assertTrue(diff(want[j], got[j]) <= tol, what + " corner " + j + ": " + want[j] + " vs " + got[j]);
        }
    }

    /**
     * |a - b|, with equal infinities equal: random weights can overflow a box's exp to infinity,
     * in the engine's float arithmetic and the test's double alike.
     */
    static double diff(double a, double b) {
        return a == b ? 0 : Math.abs(a - b);
    }

    /**
     * The prior in image pixels, made from the architecture's own definition: pytorch-ssd's
     * {@code generate_ssd_priors} (per cell: small square, large square, then for each ratio r
     * (w*sqrt r, h/sqrt r), (w/sqrt r, h*sqrt r); clamped to 0..1 in centre form), or face-api's
     * anchors from the file, relative to the padded square.
     */
    static double[] prior(Model m, DetectorOutput out, int head, int row, int col, int anchor, int index) {
        double w = out.imageWidth();
        double h = out.imageHeight();
        if (m.spec().name().equals(FaceApi.NAME)) {
            float[] a = ((FaceSsd) m.tree()).anchors();
            Box ext = out.inputExtent();
            return new double[] {a[4 * index + 1] * ext.x2(), a[4 * index] * ext.y2(), a[4 * index + 3] * ext.x2(),
                a[4 * index + 2] * ext.y2()};
        }
        PriorSpec s = m.spec().post().priorSpecs().get(head);
        int size = m.inputSize();
        double cx = (col + 0.5) * s.shrinkage() / size;
        double cy = (row + 0.5) * s.shrinkage() / size;
        double small = s.minSize() / size;
        double pw;
        double ph;
        if (anchor == 0) {
            pw = ph = small;
        } else if (anchor == 1) {
            pw = ph = Math.sqrt(s.minSize() * s.maxSize()) / size;
        } else {
            double q = Math.sqrt(s.aspectRatios()[(anchor - 2) / 2]);
            boolean wide = (anchor - 2) % 2 == 0;
            pw = wide ? small * q : small / q;
            ph = wide ? small / q : small * q;
        }
        double[] c = {cx, cy, pw, ph};
        for (int i = 0; i < 4; i++) {
            c[i] = Math.max(0, Math.min(1, (float) c[i]));
        }
        return new double[] {(c[0] - c[2] / 2) * w, (c[1] - c[3] / 2) * h, (c[0] + c[2] / 2) * w,
            (c[1] + c[3] / 2) * h};
    }

    /**
     * Raw offsets applied to a prior (image pixels): pytorch-ssd's variances 0.1 / 0.2 on
     * (cx, cy, w, h), or TensorFlow's box coder with scales 10, 10, 5, 5 on (y, x, h, w).
     */
    static double[] decode(Model m, DetectorOutput out, double[] prior, float[] off) {
        double pw = prior[2] - prior[0];
        double ph = prior[3] - prior[1];
        double px = prior[0] + pw / 2;
        double py = prior[1] + ph / 2;
        double cx;
        double cy;
        double bw;
        double bh;
        if (m.spec().name().equals(FaceApi.NAME)) {
            cy = off[0] / 10.0 * ph + py;
            cx = off[1] / 10.0 * pw + px;
            bh = Math.exp(off[2] / 5.0) * ph;
            bw = Math.exp(off[3] / 5.0) * pw;
        } else {
            cx = off[0] * 0.1 * pw + px;
            cy = off[1] * 0.1 * ph + py;
            bw = Math.exp(off[2] * 0.2) * pw;
            bh = Math.exp(off[3] * 0.2) * ph;
        }
        return new double[] {cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2};
    }

    /** One line for the test's printout. */
    public static String describe(String name, Report r) {
        return String.format("%s: %d detection(s), %d suppressed candidate(s) checked; raw-map scores within %.1e, "
                + "decoded boxes within %.4f px%s", name, r.detections(), r.suppressed(), r.scoreDiff(), r.boxDiffPx(),
                r.referenced() ? String.format("; reference scores within %.1e, "
                        + "boxes within %.4f px", r.refScoreDiff(), r.refBoxDiffPx()) : "");
    }
}

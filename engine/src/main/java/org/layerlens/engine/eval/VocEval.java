package org.layerlens.engine.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.layerlens.engine.api.Detection;

/**
 * Pascal VOC average precision at IoU 0.5 with all-point interpolation (VOC2010+), as
 * pytorch-ssd's eval_ssd.py computes it: detections sorted by score, each matched to the
 * best-overlapping unmatched ground truth of its class; difficult objects neither count nor
 * penalise.
 */
public final class VocEval {
    private final List<String> classes;
    private final Map<String, List<Det>> dets = new HashMap<>();
    private final Map<String, Integer> positives = new HashMap<>();
    private final List<List<VocAnnotation.Box>> gts = new ArrayList<>();

    private record Det(int image, float score, float x1, float y1, float x2, float y2) {
    }

    /** @param classes class names without BACKGROUND */
    public VocEval(List<String> classes) {
        this.classes = List.copyOf(classes);
    }

    /** Adds one image: its ground truth and the model's detections (pixels, 0-based). */
    public void add(List<VocAnnotation.Box> truth, List<Detection> detections) {
        int id = gts.size();
        gts.add(truth);
        for (VocAnnotation.Box b : truth) {
            if (!b.difficult()) {
                positives.merge(b.name(), 1, Integer::sum);
            }
        }
        for (Detection d : detections) {
            dets.computeIfAbsent(d.label(), k -> new ArrayList<>())
                    .add(new Det(id, d.score(), (float) d.x1(), (float) d.y1(), (float) d.x2(), (float) d.y2()));
        }
    }

    public double averagePrecision(String cls) {
        List<Det> list = new ArrayList<>(dets.getOrDefault(cls, List.of()));
        list.sort(Comparator.comparingDouble((Det d) -> -d.score()));
        int npos = positives.getOrDefault(cls, 0);
        if (npos == 0) {
            return Double.NaN;
        }
        Map<Integer, boolean[]> used = new HashMap<>();
        double[] tp = new double[list.size()];
        double[] fp = new double[list.size()];
        for (int i = 0; i < list.size(); i++) {
            Det d = list.get(i);
            List<VocAnnotation.Box> truth = gts.get(d.image());
            boolean[] u = used.computeIfAbsent(d.image(), k -> new boolean[truth.size()]);
            double best = -1;
            int bi = -1;
            for (int j = 0; j < truth.size(); j++) {
                VocAnnotation.Box g = truth.get(j);
                if (!g.name().equals(cls)) {
                    continue;
                }
                double o = iou(d, g);
                if (o > best) {
                    best = o;
                    bi = j;
                }
            }
            if (best > 0.5) {
                if (truth.get(bi).difficult()) {
                    continue; // neither true nor false positive
                }
                if (!u[bi]) {
                    u[bi] = true;
                    tp[i] = 1;
                } else {
                    fp[i] = 1;
                }
            } else {
                fp[i] = 1;
            }
        }
        double[] recall = new double[list.size()];
        double[] precision = new double[list.size()];
        double ctp = 0;
        double cfp = 0;
        for (int i = 0; i < list.size(); i++) {
            ctp += tp[i];
            cfp += fp[i];
            recall[i] = ctp / npos;
            precision[i] = ctp + cfp == 0 ? 0 : ctp / (ctp + cfp);
        }
        return allPointAp(precision, recall);
    }

    /** Area under the precision envelope, summed where recall changes. */
    static double allPointAp(double[] precision, double[] recall) {
        int n = precision.length;
        double[] p = new double[n + 2];
        double[] r = new double[n + 2];
        System.arraycopy(precision, 0, p, 1, n);
        System.arraycopy(recall, 0, r, 1, n);
        r[n + 1] = 1;
        for (int i = n; i >= 0; i--) {
            p[i] = Math.max(p[i], p[i + 1]);
        }
        double ap = 0;
        for (int i = 1; i < n + 2; i++) {
            if (r[i] != r[i - 1]) {
                ap += (r[i] - r[i - 1]) * p[i];
            }
        }
        return ap;
    }

    private static double iou(Det d, VocAnnotation.Box g) {
        double ix = Math.max(0, Math.min(d.x2(), g.x2()) - Math.max(d.x1(), g.x1()));
        double iy = Math.max(0, Math.min(d.y2(), g.y2()) - Math.max(d.y1(), g.y1()));
        double inter = ix * iy;
        double a = (d.x2() - d.x1()) * (d.y2() - d.y1());
        double b = (g.x2() - g.x1()) * (g.y2() - g.y1());
        return inter / (a + b - inter + 1e-5);
    }

    /** AP per class (in class order) and their mean over classes that have ground truth. */
    public Result result() {
        double[] ap = new double[classes.size()];
        double sum = 0;
        int n = 0;
        for (int i = 0; i < ap.length; i++) {
            ap[i] = averagePrecision(classes.get(i));
            if (!Double.isNaN(ap[i])) {
                sum += ap[i];
                n++;
            }
        }
        return new Result(classes, ap, n == 0 ? Double.NaN : sum / n, gts.size());
    }

    public record Result(List<String> classes, double[] ap, double mean, int images) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            int scored = 0;
            for (int i = 0; i < classes.size(); i++) {
                if (Double.isNaN(ap[i])) {
                    sb.append(String.format(java.util.Locale.ROOT, "%-16s AP@0.5 n/a (no ground-truth box of this "
                            + "class)%n", classes.get(i)));
                } else {
                    sb.append(String.format(java.util.Locale.ROOT, "%-16s AP@0.5 %.4f%n", classes.get(i), ap[i]));
                    scored++;
                }
            }
            sb.append(String.format(java.util.Locale.ROOT, "mAP@0.5 %.4f over %d images", mean, images));
            if (scored < classes.size()) {
                sb.append(String.format(java.util.Locale.ROOT, " (the mean of the %d of %d classes with ground truth)",
                        scored, classes.size()));
            }
            return sb.toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Result r && classes.equals(r.classes) && Arrays.equals(ap, r.ap);
        }

        @Override
        public int hashCode() {
            return classes.hashCode();
        }
    }
}

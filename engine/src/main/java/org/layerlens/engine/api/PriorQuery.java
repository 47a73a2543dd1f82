package org.layerlens.engine.api;

import java.util.List;
import java.util.Locale;

import org.layerlens.engine.ssd.HeadLayout;

/**
 * "Why was this object missed?" for a box in image pixels: the priors that match it best (by
 * IoU, as training matched them), whether any reaches the model's training match threshold, the
 * best IoU any prior's <em>shape</em> could reach were it centred on the box, and a one-line
 * verdict that tells "no prior of this model fits an object this small / large / elongated" from
 * "a prior of this shape exists, but no prior centre lies close enough".
 *
 * @param box            the query in image pixels
 * @param networkBox     the same box in network-input pixels (what the priors are sized in)
 * @param matchThreshold the model's training match threshold (pytorch-ssd 0.5)
 * @param best           the best priors, best first
 * @param shapeBound     the best IoU of any prior shape centred on the box: an upper bound for {@code best}
 * @param verdict        one line for a person
 */
public record PriorQuery(Box box, Box networkBox, double matchThreshold, List<PriorMatch> best, double shapeBound,
                         String verdict) {

    /** Whether some prior reaches the match threshold (training would have matched the object there). */
    public boolean matched() {
        return !best.isEmpty() && best.get(0).iou() >= matchThreshold;
    }

    static PriorQuery of(Box box, List<PriorMatch> best, Model model, float[] priors, double[] factors,
                         int imageWidth, int imageHeight) {
        int s = model.inputSize();
        // image pixels -> network-input pixels: the input square spans factor * image size
        double kx = s / (factors[0] * imageWidth);
        double ky = s / (factors[1] * imageHeight);
        Box net = new Box(box.x1() * kx, box.y1() * ky, box.x2() * kx, box.y2() * ky);
        double w = net.width();
        double h = net.height();
        double t = model.matchThreshold();
        double bound = 0;
        double side = Math.sqrt(w * h);
        double aspect = w / h;
        // what size alone and shape alone allow, centred (both exact bounds, whatever the other):
        // same-shape boxes of areas A <= P reach A / P; same-area boxes of w:h ratios a <= r reach
        // q / (2 - q) with q = sqrt(a / r), at the best size for that shape
        double sizeBound = 0;
        double shapeOnly = 0;
        double nearestAspect = Double.NaN;
        java.util.TreeSet<Double> sides = new java.util.TreeSet<>();
        java.util.TreeMap<Double, Integer> aspects = new java.util.TreeMap<>();
        for (int i = 0; i < priors.length / 4; i++) {
            double pw = (priors[4 * i + 2] - priors[4 * i]) / factors[0] * s;
            double ph = (priors[4 * i + 3] - priors[4 * i + 1]) / factors[1] * s;
            if (pw <= 0 || ph <= 0) {
                continue;
            }
            double inter = Math.min(w, pw) * Math.min(h, ph);
            bound = Math.max(bound, inter / (w * h + pw * ph - inter));
            double ps = Math.sqrt(pw * ph);
            double r = Math.min(side, ps) / Math.max(side, ps);
            sizeBound = Math.max(sizeBound, r * r);
            double pa = pw / ph;
            double q = Math.sqrt(Math.min(aspect, pa) / Math.max(aspect, pa));
            if (q / (2 - q) > shapeOnly) {
                shapeOnly = q / (2 - q);
                nearestAspect = pa;
            }
            sides.add(Math.rint(ps * 10) / 10);
            aspects.merge(pa, 1, Integer::sum);
        }
        String verdict;
        String size = String.format(Locale.ROOT, "%.0fx%.0f px in the %dx%d network input", w, h, s, s);
        if (best.isEmpty()) {
            verdict = "the model has no priors";
        } else if (best.get(0).iou() >= t) {
            PriorMatch m = best.get(0);
            verdict = String.format(Locale.ROOT, "matched: prior %d (head %d, cell %d,%d, anchor %d) reaches IoU %.2f"
                    + " >= %.2f, so training matched objects like this one there", m.priorIndex(), m.head(), m.row(),
                    m.col(), m.anchor(), m.iou(), t);
        } else if (bound < t) {
            String why;
            if (shapeOnly < t) {
                // the shape rules it out whatever the size: say so before any size comparison, which
                // (sqrt(w * h)) would call a long thin box small
                why = String.format(Locale.ROOT, "%s has a shape (w:h %s) far from every prior's (w:h %s): a prior "
                        + "of the nearest shape (w:h %s) reaches at most IoU %.2f at any size", size, ratio(aspect),
                        ratios(aspects), ratio(nearestAspect), shapeOnly);
            } else if (sizeBound < t) {
                double below = sides.floor(side) == null ? Double.NaN : sides.floor(side);
                double above = sides.ceiling(side) == null ? Double.NaN : sides.ceiling(side);
                if (Double.isNaN(below)) {
                    why = String.format(Locale.ROOT, "%s (%.0f px a side by area) is smaller than the smallest prior"
                            + " (%.0f px a side)", size, side, sides.first());
                } else if (Double.isNaN(above)) {
                    why = String.format(Locale.ROOT, "%s (%.0f px a side by area) is larger than the largest prior"
                            + " (%.0f px a side)", size, side, sides.last());
                } else {
                    why = String.format(Locale.ROOT, "%s (%.0f px a side by area) falls between the prior sizes %.0f"
                            + " and %.0f px a side", size, side, below, above);
                }
            } else {
                why = String.format(Locale.ROOT, "%s (%.0f px a side by area, w:h %s): some prior comes near its size"
                        + " and some near its shape, but none near both", size, side, ratio(aspect));
            }
            verdict = String.format(Locale.ROOT, "no prior of this model fits: %s; even centred on it a prior "
                    + "reaches IoU %.2f < %.2f", why, bound, t);
        } else {
            PriorMatch m = best.get(0);
            HeadLayout.Head head = model.layout().heads().get(m.head());
            verdict = String.format(Locale.ROOT, "a prior of this size and shape exists (IoU %.2f if centred on it) "
                    + "but none is centred close enough: the best reaches %.2f < %.2f at head %d, whose cells are "
                    + "%.0f px apart in the network input", bound, m.iou(), t, m.head(), (double) s / head.cols());
        }
        return new PriorQuery(box, net, t, List.copyOf(best), bound, verdict);
    }

    /** A w:h ratio as "3:1", "1:37.6" or "1.50" style: whole or one-decimal "a:b" with the smaller side 1. */
    static String ratio(double a) {
        if (Math.abs(a - 1) < 1e-9) {
            return "1:1";
        }
        double r = a >= 1 ? a : 1 / a;
        String n = Math.abs(r - Math.rint(r)) < 0.05 ? String.format(Locale.ROOT, "%.0f", r)
                : String.format(Locale.ROOT, "%.1f", r);
        return a >= 1 ? n + ":1" : "1:" + n;
    }

    /**
     * The priors' ratios as written, smallest first: those that at least 2% of the priors have (the
     * design's; pytorch-ssd clamps border priors to the image, which gives a few others, named as
     * such), or the range where there are many (learned priors).
     */
    private static String ratios(java.util.SortedMap<Double, Integer> aspects) {
        int total = 0;
        for (int n : aspects.values()) {
            total += n;
        }
        java.util.LinkedHashMap<String, Integer> names = new java.util.LinkedHashMap<>();
        for (var e : aspects.entrySet()) {
            names.merge(ratio(e.getKey()), e.getValue(), Integer::sum);
        }
        java.util.List<String> common = new java.util.ArrayList<>();
        for (var e : names.entrySet()) {
            if (e.getValue() >= 0.02 * total) {
                common.add(e.getKey());
            }
        }
        if (common.isEmpty() || common.size() > 8) {
            return ratio(aspects.firstKey()) + " to " + ratio(aspects.lastKey());
        }
        return String.join(", ", common) + (common.size() < names.size() ? "; clipped border priors aside" : "");
    }
}

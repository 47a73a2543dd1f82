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
        double minSide = Double.POSITIVE_INFINITY;
        double maxSide = 0;
        double minAspect = Double.POSITIVE_INFINITY;
        double maxAspect = 0;
        for (int i = 0; i < priors.length / 4; i++) {
            double pw = (priors[4 * i + 2] - priors[4 * i]) / factors[0] * s;
            double ph = (priors[4 * i + 3] - priors[4 * i + 1]) / factors[1] * s;
            if (pw <= 0 || ph <= 0) {
                continue;
            }
            double inter = Math.min(w, pw) * Math.min(h, ph);
            bound = Math.max(bound, inter / (w * h + pw * ph - inter));
            minSide = Math.min(minSide, Math.sqrt(pw * ph));
            maxSide = Math.max(maxSide, Math.sqrt(pw * ph));
            minAspect = Math.min(minAspect, pw / ph);
            maxAspect = Math.max(maxAspect, pw / ph);
        }
        String verdict;
        double side = Math.sqrt(w * h);
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
            if (side < minSide) {
                why = String.format(Locale.ROOT, "%s is smaller than the smallest prior (%.0f px a side)", size,
                        minSide);
            } else if (side > maxSide) {
                why = String.format(Locale.ROOT, "%s is larger than the largest prior (%.0f px a side)", size,
                        maxSide);
            } else {
                why = String.format(Locale.ROOT, "%s has a shape (w:h %.2f) no prior has (w:h %.2f to %.2f)", size,
                        w / h, minAspect, maxAspect);
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
}

package org.layerlens.engine.api;

import java.util.Locale;

/** A box's corners in pixels of the original image, {@code [x1, y1, x2, y2]}. */
public record Box(double x1, double y1, double x2, double y2) {
    public double width() {
        return x2 - x1;
    }

    public double height() {
        return y2 - y1;
    }

    public double area() {
        return Math.max(0, width()) * Math.max(0, height());
    }

    /** This box clipped to a {@code width x height} image. */
    public Box clip(double width, double height) {
        return new Box(clamp(x1, width), clamp(y1, height), clamp(x2, width), clamp(y2, height));
    }

    private static double clamp(double v, double max) {
        return Math.max(0, Math.min(max, v));
    }

    public double iou(Box o) {
        double iw = Math.max(0, Math.min(x2, o.x2) - Math.max(x1, o.x1));
        double ih = Math.max(0, Math.min(y2, o.y2) - Math.max(y1, o.y1));
        double inter = iw * ih;
        double union = area() + o.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }

    public double[] toArray() {
        return new double[] {x1, y1, x2, y2};
    }

    /**
     * Parses {@code x1,y1,x2,y2}; {@link IllegalArgumentException} with one line saying what is
     * wrong (not four numbers, zero area, corners swapped).
     */
    public static Box parse(String s) {
        String[] p = s.split(",");
        if (p.length != 4) {
            throw new IllegalArgumentException("a box is x1,y1,x2,y2 (four numbers), not '" + s + "'");
        }
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            try {
                v[i] = Double.parseDouble(p[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a box is x1,y1,x2,y2 (four numbers), not '" + s + "'");
            }
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException("box coordinate '" + p[i].strip() + "' is not a finite number");
            }
        }
        if (v[2] <= v[0] || v[3] <= v[1]) {
            throw new IllegalArgumentException("box " + s + " has zero or negative area (x2 must exceed x1, y2 y1)");
        }
        return new Box(v[0], v[1], v[2], v[3]);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "[%.1f, %.1f, %.1f, %.1f]", x1, y1, x2, y2);
    }
}

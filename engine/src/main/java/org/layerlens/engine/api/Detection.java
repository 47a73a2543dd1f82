package org.layerlens.engine.api;

/**
 * One detected object: class, score, box in pixels of the original image (clipped to it), and
 * where it came from in the network ({@link Provenance}).
 */
public record Detection(int classId, String label, float score, Box box, Provenance provenance) {
    public double x1() {
        return box.x1();
    }

    public double y1() {
        return box.y1();
    }

    public double x2() {
        return box.x2();
    }

    public double y2() {
        return box.y2();
    }

    /**
     * The same detection with every box it holds (its own; its provenance's prior, decoded box and
     * receptive field) mapped by {@code f}: into another image's frame (mirrored, resized).
     */
    public Detection withBoxes(java.util.function.UnaryOperator<Box> f) {
        Provenance p = provenance;
        Provenance q = p == null ? null : new Provenance(p.head(), p.rows(), p.cols(), p.row(), p.col(), p.anchor(),
                p.priorIndex(), map(p.prior(), f), p.offsets(), map(p.decoded(), f), p.classScores(),
                map(p.receptiveField(), f), p.suppressed());
        return new Detection(classId, label, score, map(box, f), q);
    }

    private static Box map(Box b, java.util.function.UnaryOperator<Box> f) {
        return b == null ? null : f.apply(b);
    }
}

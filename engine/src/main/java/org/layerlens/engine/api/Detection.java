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
}

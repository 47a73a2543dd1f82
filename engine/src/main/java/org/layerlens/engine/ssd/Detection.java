package org.layerlens.engine.ssd;

/** One detected object; box corners in pixels of the original image. */
public record Detection(int classId, String label, float score, float x1, float y1, float x2, float y2) {
}

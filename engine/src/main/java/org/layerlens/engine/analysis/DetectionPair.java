package org.layerlens.engine.analysis;

import org.layerlens.engine.api.Detection;

/**
 * A detection of run A and its counterpart in run B (same class, best IoU of at least the
 * matching threshold, each used once), or one that appears in only one run ({@code a} or
 * {@code b} null, {@code iou} 0).
 */
public record DetectionPair(Detection a, Detection b, double iou) {
}

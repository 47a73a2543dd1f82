package org.layerlens.engine.api;

/**
 * A prior that matches a box the user drew ("where should it have been?"): its index, origin, the
 * prior box and its IoU with the query, the model's class scores there and its decoded box.
 */
public record PriorMatch(int priorIndex, int head, int row, int col, int anchor, Box prior, double iou,
                         float[] classScores, Box decoded) {
}

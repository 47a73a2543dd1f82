package org.layerlens.engine.api;

import java.util.Locale;

/**
 * A prior that matches a box the user drew ("where should it have been?"): its index, origin, the
 * prior box and its IoU with the query, the model's class scores there and its decoded box.
 * Both boxes are unclipped, in image pixels: the decoded box is compared with the prior and the
 * drawn box, so it is shown as decoded (the CLI, its JSON and the window alike), with a note where
 * it reaches outside the image ({@link #decodedText}).
 */
public record PriorMatch(int priorIndex, int head, int row, int col, int anchor, Box prior, double iou,
                         float[] classScores, Box decoded) {

    /** Whether the decoded box reaches outside an image of this size. */
    public boolean decodedOutside(int imageWidth, int imageHeight) {
        return decoded.x1() < 0 || decoded.y1() < 0 || decoded.x2() > imageWidth || decoded.y2() > imageHeight;
    }

    /**
     * The decoded box as the CLI and the window print it: unclipped, with "(unclipped: reaches
     * outside the WxH image)" after it where it does.
     */
    public String decodedText(int imageWidth, int imageHeight) {
        return decoded + (decodedOutside(imageWidth, imageHeight) ? String.format(Locale.ROOT,
                " (unclipped: reaches outside the %dx%d image)", imageWidth, imageHeight) : "");
    }
}

package org.layerlens.engine.analysis;

import org.layerlens.engine.api.Box;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.LayerData;

/**
 * Left-right mirroring of what a pass on a mirrored image produced, back into the original
 * image's frame: feature maps (channels-last) flipped along their width, boxes reflected about
 * the image's vertical centre line. Comparing a pass on an image with a pass on its mirror image
 * then asks how far the network is from treating both alike, cell by cell.
 */
public final class Mirror {
    private Mirror() {
    }

    /** Flips the first {@code h * w * c} values of {@code hwc} (channels-last) along the width, in place. */
    static void flipWidth(float[] hwc, int h, int w, int c) {
        for (int y = 0; y < h; y++) {
            int row = y * w * c;
            for (int x = 0; x < w / 2; x++) {
                int left = row + x * c;
                int right = row + (w - 1 - x) * c;
                for (int k = 0; k < c; k++) {
                    float t = hwc[left + k];
                    hwc[left + k] = hwc[right + k];
                    hwc[right + k] = t;
                }
            }
        }
    }

    /** A copy of a module's output flipped along its width (a flattened output is returned as it is). */
    public static LayerData layer(LayerData d) {
        if (d.flat) {
            return d;
        }
        float[] v = d.values.clone();
        flipWidth(v, d.height, d.width, d.channels);
        return new LayerData(d.path, d.channels, d.height, d.width, v, false);
    }

    /** A detection on the mirrored image of an image {@code width} pixels wide, as it lies on the original. */
    public static Detection detection(Detection d, double width) {
        return d.withBoxes(b -> box(b, width));
    }

    static Box box(Box b, double width) {
        return b == null ? null : new Box(width - b.x2(), b.y1(), width - b.x1(), b.y2());
    }
}

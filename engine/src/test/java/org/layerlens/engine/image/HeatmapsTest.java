package org.layerlens.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.layerlens.engine.api.LayerData;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/**
 * {@link Heatmaps#rgb}'s scaling checked on a 2x2 map of two channels whose grey levels are worked
 * out by hand (min-max of the channel, or of the whole layer, to 0..255, rounded), and its colours
 * against OpenCV's own colour map applied here to those hand-made levels. The values are chosen so
 * that no level falls on a rounding tie; the levels are whole numbers, compared exactly.
 */
class HeatmapsTest {
    // channels-last (H, W, C): pixel i holds channel 0 then channel 1
    private static final float[] CH0 = {0, 1, 3, 7};
    private static final float[] CH1 = {-2, -1, 1, 3};

    private static LayerData map() {
        float[] v = new float[8];
        for (int i = 0; i < 4; i++) {
            v[i * 2] = CH0[i];
            v[i * 2 + 1] = CH1[i];
        }
        return new LayerData("m", 2, 2, 2, v);
    }

    @Test
    void eachChannelIsScaledByItsOwnRange() {
        // channel 0 over [0, 7]: v * 255 / 7 = 0, 36.43, 109.29, 255
        assertGray(new int[] {0, 36, 109, 255}, Heatmaps.rgb(map(), 0, Heatmaps.ColorMap.GRAY, Heatmaps.Normalise.CHANNEL, 2, 2));
        // channel 1 over [-2, 3]: (v + 2) * 255 / 5 = 0, 51, 153, 255
        assertGray(new int[] {0, 51, 153, 255}, Heatmaps.rgb(map(), 1, Heatmaps.ColorMap.GRAY, Heatmaps.Normalise.CHANNEL, 2, 2));
    }

    @Test
    void acrossTheLayerBothChannelsShareOneRange() {
        // the layer spans [-2, 7]: (v + 2) * 255 / 9
        assertGray(new int[] {57, 85, 142, 255}, Heatmaps.rgb(map(), 0, Heatmaps.ColorMap.GRAY, Heatmaps.Normalise.LAYER, 2, 2));
        assertGray(new int[] {0, 28, 85, 142}, Heatmaps.rgb(map(), 1, Heatmaps.ColorMap.GRAY, Heatmaps.Normalise.LAYER, 2, 2));
    }

    @Test
    void aRangeOfTheCallersClipsAndACopyIsEnlargedByNearestNeighbour() {
        // channel 0 over [1, 3]: 0 -> clipped to 0, 1 -> 0, 3 -> 255, 7 -> clipped to 255
        assertGray(new int[] {0, 0, 255, 255}, Heatmaps.rgb(map(), 0, Heatmaps.ColorMap.GRAY, 1f, 3f, 2, 2));
        // 4x4: each cell a 2x2 block
        byte[] big = Heatmaps.rgb(map(), 1, Heatmaps.ColorMap.GRAY, Heatmaps.Normalise.CHANNEL, 4, 4);
        int[] levels = {0, 51, 153, 255};
        int[] want = new int[16];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                want[y * 4 + x] = levels[(y / 2) * 2 + x / 2];
            }
        }
        assertGray(want, big);
    }

    @Test
    void coloursAreOpenCvsMapOfTheScaledLevels() {
        OpenCv.load();
        int[] levels = {0, 51, 153, 255}; // channel 1 by its own range, as above
        for (Heatmaps.ColorMap cm : new Heatmaps.ColorMap[] {Heatmaps.ColorMap.VIRIDIS, Heatmaps.ColorMap.INFERNO,
                Heatmaps.ColorMap.JET}) {
            byte[] got = Heatmaps.rgb(map(), 1, cm, Heatmaps.Normalise.CHANNEL, 2, 2);
            byte[] bgr = applyColorMap(levels, cm == Heatmaps.ColorMap.VIRIDIS ? Imgproc.COLORMAP_VIRIDIS
                    : cm == Heatmaps.ColorMap.INFERNO ? Imgproc.COLORMAP_INFERNO : Imgproc.COLORMAP_JET);
            for (int i = 0; i < 4; i++) {
                for (int ch = 0; ch < 3; ch++) {
                    // OpenCV gives BGR; the heatmap is RGB
                    assertEquals(bgr[i * 3 + 2 - ch] & 0xff, got[i * 3 + ch] & 0xff, cm + " pixel " + i + " channel " + ch);
                }
            }
        }
    }

    /** OpenCV's colour map over a 2x2 image of the given grey levels, BGR bytes. */
    private static byte[] applyColorMap(int[] levels, int map) {
        byte[] gray = new byte[levels.length];
        for (int i = 0; i < levels.length; i++) {
            gray[i] = (byte) levels[i];
        }
        Mat g = new Mat(2, 2, CvType.CV_8UC1);
        Mat bgr = new Mat();
        try {
            g.put(0, 0, gray);
            Imgproc.applyColorMap(g, bgr, map);
            byte[] out = new byte[levels.length * 3];
            bgr.get(0, 0, out);
            return out;
        } finally {
            g.release();
            bgr.release();
        }
    }

    private static void assertGray(int[] levels, byte[] rgb) {
        assertEquals(levels.length * 3, rgb.length, "RGB bytes");
        for (int i = 0; i < levels.length; i++) {
            for (int ch = 0; ch < 3; ch++) {
                assertEquals(levels[i], rgb[i * 3 + ch] & 0xff, "pixel " + i + " channel " + ch);
            }
        }
    }
}

package org.layerlens.engine.image;

import org.layerlens.engine.api.LayerData;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** Feature-map channels as colour images through OpenCV's colour maps. */
public final class Heatmaps {
    public enum ColorMap {
        VIRIDIS(Imgproc.COLORMAP_VIRIDIS), INFERNO(Imgproc.COLORMAP_INFERNO), JET(Imgproc.COLORMAP_JET), GRAY(-1);

        final int cv;

        ColorMap(int cv) {
            this.cv = cv;
        }

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Whether a channel is scaled by its own range or by the range of the whole layer. */
    public enum Normalise { CHANNEL, LAYER }

    private Heatmaps() {
    }

    /**
     * RGB bytes (h * w * 3) of one channel, scaled to 0..255 over [lo, hi] and coloured;
     * upscaled by nearest neighbour to {@code outW x outH} when those are larger than the map.
     */
    public static byte[] rgb(LayerData d, int channel, ColorMap cm, Normalise norm, int outW, int outH) {
        OpenCv.load();
        float lo;
        float hi;
        if (norm == Normalise.CHANNEL) {
            lo = d.channelMin(channel);
            hi = d.channelMax(channel);
        } else {
            LayerData.Stats s = d.stats();
            lo = s.min();
            hi = s.max();
        }
        float scale = hi > lo ? 255f / (hi - lo) : 0f;
        float[] plane = d.channel(channel);
        byte[] gray = new byte[plane.length];
        for (int i = 0; i < plane.length; i++) {
            gray[i] = (byte) Math.round((plane[i] - lo) * scale);
        }
        Mat g = new Mat(d.height, d.width, CvType.CV_8UC1);
        g.put(0, 0, gray);
        if (outW != d.width || outH != d.height) {
            Mat big = new Mat();
            Imgproc.resize(g, big, new Size(outW, outH), 0, 0, Imgproc.INTER_NEAREST);
            g.release();
            g = big;
        }
        Mat rgb = new Mat();
        if (cm == ColorMap.GRAY) {
            Imgproc.cvtColor(g, rgb, Imgproc.COLOR_GRAY2RGB);
        } else {
            Mat bgr = new Mat();
            Imgproc.applyColorMap(g, bgr, cm.cv);
            Imgproc.cvtColor(bgr, rgb, Imgproc.COLOR_BGR2RGB);
            bgr.release();
        }
        byte[] out = new byte[(int) rgb.total() * 3];
        rgb.get(0, 0, out);
        g.release();
        rgb.release();
        return out;
    }

    /** Writes an RGB byte image as PNG (or any format OpenCV writes, by extension). */
    public static void write(java.nio.file.Path file, byte[] rgb, int w, int h) throws java.io.IOException {
        OpenCv.load();
        Mat m = new Mat(h, w, CvType.CV_8UC3);
        m.put(0, 0, rgb);
        Mat bgr = new Mat();
        Imgproc.cvtColor(m, bgr, Imgproc.COLOR_RGB2BGR);
        boolean ok = org.opencv.imgcodecs.Imgcodecs.imwrite(file.toString(), bgr);
        m.release();
        bgr.release();
        if (!ok) {
            throw new java.io.IOException(file + ": OpenCV could not write the image");
        }
    }
}

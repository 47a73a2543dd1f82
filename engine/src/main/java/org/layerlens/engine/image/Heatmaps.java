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
        if (norm == Normalise.CHANNEL) {
            return rgb(d, channel, cm, d.channelMin(channel), d.channelMax(channel), outW, outH);
        }
        LayerData.Stats s = d.stats();
        return rgb(d, channel, cm, s.min(), s.max(), outW, outH);
    }

    /**
     * The same over a range the caller chose (two maps on one scale, a difference from 0 to the
     * layer's largest); values outside {@code [lo, hi]} are clipped to its ends.
     */
    public static byte[] rgb(LayerData d, int channel, ColorMap cm, float lo, float hi, int outW, int outH) {
        OpenCv.load();
        float scale = hi > lo ? 255f / (hi - lo) : 0f;
        float[] plane = d.channel(channel);
        byte[] gray = new byte[plane.length];
        for (int i = 0; i < plane.length; i++) {
            gray[i] = (byte) Math.round(Math.max(0f, Math.min(255f, (plane[i] - lo) * scale)));
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

    /**
     * A {@code rows x cols} map (row-major) laid over an image: scaled to 0..255 over
     * {@code [lo, hi]} (clipped), coloured, stretched over the network input's extent in the
     * image ({@code factors}: its right and bottom edges in image widths and heights, as
     * {@link InputTransform#factors}; beyond the image where the transform pads), cropped to the
     * image (in grey) and blended with it: a value's share of the pixel is {@code opacity} times its level,
     * so that where the map is low the image shows through. {@code smooth}: bilinear (activations)
     * rather than nearest (one block per cell: head scores). RGB bytes of the image's size.
     */
    public static byte[] overlay(LoadedImage img, float[] map, int rows, int cols, double[] factors, float lo,
                                 float hi, ColorMap cm, boolean smooth, double opacity) {
        OpenCv.load();
        if (map.length != rows * cols) {
            throw new IllegalArgumentException(map.length + " values for a " + rows + "x" + cols + " map");
        }
        float scale = hi > lo ? 255f / (hi - lo) : 0f;
        byte[] gray = new byte[map.length];
        for (int i = 0; i < map.length; i++) {
            float v = Float.isNaN(map[i]) ? lo : Math.max(lo, Math.min(hi, map[i]));
            gray[i] = (byte) Math.round((v - lo) * scale);
        }
        int w = img.width();
        int h = img.height();
        int ew = Math.max(w, (int) Math.round(factors[0] * w));
        int eh = Math.max(h, (int) Math.round(factors[1] * h));
        Mat g = new Mat(rows, cols, CvType.CV_8UC1);
        Mat big = new Mat();
        Mat bgr = new Mat();
        Mat heat = new Mat();
        try {
            g.put(0, 0, gray);
            Imgproc.resize(g, big, new Size(ew, eh), 0, 0, smooth ? Imgproc.INTER_LINEAR : Imgproc.INTER_NEAREST);
            if (cm == ColorMap.GRAY) {
                Imgproc.cvtColor(big, heat, Imgproc.COLOR_GRAY2RGB);
            } else {
                Imgproc.applyColorMap(big, bgr, cm.cv);
                Imgproc.cvtColor(bgr, heat, Imgproc.COLOR_BGR2RGB);
            }
            byte[] colour = new byte[ew * eh * 3];
            heat.get(0, 0, colour);
            byte[] level = new byte[ew * eh];
            big.get(0, 0, level);
            byte[] src = img.rgb();
            byte[] rgb = new byte[w * h * 3];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    // the stronger the value, the more it covers the image: low values leave it visible
                    double a = opacity * (level[y * ew + x] & 0xff) / 255.0;
                    int p = (y * w + x) * 3;
                    // the image in grey, so that its colours are not read as the map's
                    double grey = 0.299 * (src[p] & 0xff) + 0.587 * (src[p + 1] & 0xff) + 0.114 * (src[p + 2] & 0xff);
                    for (int ch = 0; ch < 3; ch++) {
                        double v = grey * (1 - a) + (colour[(y * ew + x) * 3 + ch] & 0xff) * a;
                        rgb[p + ch] = (byte) Math.round(v);
                    }
                }
            }
            return rgb;
        } finally {
            g.release();
            big.release();
            bgr.release();
            heat.release();
        }
    }

    /** Height in pixels of one caption line ({@link #writeCaptioned}), and its font and scale. */
    static final int CAPTION_LINE = 18;
    private static final int CAPTION_FONT = Imgproc.FONT_HERSHEY_SIMPLEX;
    private static final double CAPTION_SCALE = 0.45;

    /**
     * Writes the image with lines of text in a dark strip above it (widened to at least
     * {@code minWidth} and to the longest line): what a picture shows and on what scale, for
     * files read later away from the command that wrote them.
     */
    public static void writeCaptioned(java.nio.file.Path file, byte[] rgb, int w, int h, int minWidth,
                                      String... lines) throws java.io.IOException {
        OpenCv.load();
        int cw = Math.max(w, minWidth);
        for (String line : lines) { // as wide as the longest line, so that none is cut
            Size text = Imgproc.getTextSize(line, CAPTION_FONT, CAPTION_SCALE, 1, new int[1]);
            cw = Math.max(cw, (int) Math.ceil(text.width) + 12);
        }
        int strip = CAPTION_LINE * lines.length + 6;
        int ch = h + strip;
        byte[] out = new byte[cw * ch * 3];
        java.util.Arrays.fill(out, (byte) 0x20);
        for (int y = 0; y < h; y++) {
            System.arraycopy(rgb, y * w * 3, out, ((strip + y) * cw) * 3, w * 3);
        }
        Mat m = new Mat(ch, cw, CvType.CV_8UC3);
        m.put(0, 0, out);
        for (int i = 0; i < lines.length; i++) {
            Imgproc.putText(m, lines[i], new org.opencv.core.Point(6, CAPTION_LINE * (i + 1) - 3), CAPTION_FONT,
                    CAPTION_SCALE, new org.opencv.core.Scalar(255, 255, 255), 1, Imgproc.LINE_AA);
        }
        m.get(0, 0, out);
        m.release();
        write(file, out, cw, ch);
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

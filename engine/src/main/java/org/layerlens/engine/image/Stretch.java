package org.layerlens.engine.image;

import java.util.Arrays;
import java.util.Locale;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * pytorch-ssd's PredictionTransform: RGB, resize to S x S with OpenCV's bilinear interpolation
 * (aspect ratio not kept), then {@code (x - mean) / std} per channel. MobileNet SSDs use mean
 * 127 and std 128; VGG16-SSD subtracts the per-channel mean (123, 117, 104) and keeps the scale.
 */
public record Stretch(int size, float[] mean, float[] std) implements InputTransform {
    public static Stretch mobilenet(int size) {
        return new Stretch(size, new float[] {127f, 127f, 127f}, new float[] {128f, 128f, 128f});
    }

    @Override
    public float[] apply(LoadedImage img) {
        OpenCv.load();
        byte[] px = new byte[size * size * 3];
        Mat rgb = new Mat(img.height(), img.width(), CvType.CV_8UC3);
        Mat small = new Mat();
        try {
            rgb.put(0, 0, img.rgb());
            Imgproc.resize(rgb, small, new Size(size, size), 0, 0, Imgproc.INTER_LINEAR);
            small.get(0, 0, px);
        } finally {
            rgb.release();
            small.release();
        }
        float[] out = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            int c = i % 3;
            out[i] = ((px[i] & 0xff) - mean[c]) / std[c];
        }
        return out;
    }

    @Override
    public double[] factors(int width, int height) {
        return new double[] {1, 1};
    }

    /**
     * OpenCV's INTER_LINEAR taps: output pixel {@code d} samples {@code (d + 0.5) * in / out - 0.5},
     * reading the pixel at its floor and the next one (weight the fraction; none at the edges,
     * where OpenCV clamps). An exact 2x reduction runs as INTER_AREA in OpenCV, which reads the
     * same two pixels.
     */
    @Override
    public int[] readSpan(long lo, long hi, int width, int height, boolean horizontal) {
        int extent = horizontal ? width : height;
        long a = Math.max(0, lo);
        long b = Math.min(size - 1L, hi);
        if (a > b) {
            return null;
        }
        return InputTransform.clip(taps(a, extent)[0], taps(b, extent)[1], extent);
    }

    /** First and last source pixel output pixel {@code d} reads along an axis of {@code extent} pixels. */
    private int[] taps(long d, int extent) {
        double f = (d + 0.5) * ((double) extent / size) - 0.5;
        int s = (int) Math.floor(f);
        double frac = f - s;
        if (s < 0) {
            s = 0;
            frac = 0;
        }
        if (s >= extent - 1) {
            s = extent - 1;
            frac = 0;
        }
        return new int[] {s, frac > 0 ? s + 1 : s};
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "%dx%d bilinear (stretched), (x - %s) / %s", size, size,
                Arrays.toString(mean), Arrays.toString(std));
    }
}

package org.layerlens.engine.image;

/**
 * MediaPipe's {@code ImageToTensorCalculator} on the CPU for a whole image without letterbox
 * (keep_aspect_ratio false): {@code cv::warpPerspective} of the RGB image onto {@code S x S} with
 * the image's corners on the tensor's corners, INTER_LINEAR, BORDER_REPLICATE, then
 * {@code v * (2 / 255) - 1}. This is not {@code cv::resize}: output pixel x samples source position
 * {@code x * W / S} (no half-pixel shift), from its 2x2 neighbours only (no area averaging when
 * shrinking), rounded to 1/32 pixel, with integer weights out of 1024 and the result rounded back
 * to a byte. Ported in integers, bit-exact against OpenCV (reference/objects_v2/postprocess.py,
 * {@code preprocess_numpy}; SETTINGS.md):
 * {@code X = (64 W x + S) div 2S}, {@code x0 = X >> 5}, {@code ax = X & 31} (likewise y),
 * {@code out = ((32-ax)(32-ay) p00 + ax(32-ay) p01 + (32-ax) ay p10 + ax ay p11 + 512) >> 10},
 * neighbours past the last row or column clamped to it. The value step is OpenCV's
 * {@code convertTo(scale 2/255, offset -1)} with one rounding (its AVX2 kernel's fused
 * multiply-add), i.e. {@code fma(v, 2f/255f, -1f)}.
 */
public record MediaPipeStretch(int size) implements InputTransform {
    private static final float[] VALUE = new float[256];

    static {
        float scale = 2f / 255f; // (1 - -1) / (255 - 0) in float, GetValueRangeTransformation
        for (int v = 0; v < 256; v++) {
            VALUE[v] = Math.fma((float) v, scale, -1f);
        }
    }

    @Override
    public float[] apply(LoadedImage img) {
        byte[] px = warp(img);
        float[] out = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            out[i] = VALUE[px[i] & 0xff];
        }
        return out;
    }

    /** The warped picture, {@code S x S x 3} bytes (RGB, row-major), before the value step. */
    public byte[] warp(LoadedImage img) {
        return warp(img, size, size);
    }

    /** The warp onto {@code outW x outH} (each axis on its own: corners onto corners). */
    public static byte[] warp(LoadedImage img, int outW, int outH) {
        int w = img.width();
        int h = img.height();
        byte[] rgb = img.rgb();
        int[][] xs = axis(outW, w);
        int[][] ys = axis(outH, h);
        byte[] out = new byte[outW * outH * 3];
        for (int y = 0; y < outH; y++) {
            int y0 = ys[0][y];
            int y1 = ys[1][y];
            int ay = ys[2][y];
            for (int x = 0; x < outW; x++) {
                int x0 = xs[0][x];
                int x1 = xs[1][x];
                int ax = xs[2][x];
                int w00 = (32 - ax) * (32 - ay);
                int w01 = ax * (32 - ay);
                int w10 = (32 - ax) * ay;
                int w11 = ax * ay;
                for (int c = 0; c < 3; c++) {
                    int acc = w00 * px(rgb, w, y0, x0, c) + w01 * px(rgb, w, y0, x1, c)
                            + w10 * px(rgb, w, y1, x0, c) + w11 * px(rgb, w, y1, x1, c);
                    out[(y * outW + x) * 3 + c] = (byte) ((acc + 512) >> 10);
                }
            }
        }
        return out;
    }

    /** Per output index: the two source indices (clamped) and the 1/32-pixel fraction. */
    static int[][] axis(int out, int in) {
        int[][] a = new int[3][out];
        for (int x = 0; x < out; x++) {
            long fixed = (64L * in * x + out) / (2L * out);
            int i0 = (int) (fixed >> 5);
            a[0][x] = Math.min(i0, in - 1);
            a[1][x] = Math.min(i0 + 1, in - 1);
            a[2][x] = (int) (fixed & 31);
        }
        return a;
    }

    private static int px(byte[] rgb, int w, int y, int x, int c) {
        return rgb[3 * (y * w + x) + c] & 0xff;
    }

    @Override
    public double[] factors(int width, int height) {
        return new double[] {1, 1};
    }

    @Override
    public String describe() {
        return size + "x" + size + " stretched with MediaPipe's corner-to-corner bilinear warp "
                + "(cv::warpPerspective, 1/32 pixel), v * 2/255 - 1";
    }
}

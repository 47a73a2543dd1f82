package org.layerlens.engine.image;

/**
 * face-api's input transform ({@code NetInput.toBatchTensor(size, false)} then
 * {@code x / 127.5 - 1}): pad the image with black at the bottom or right to a square, resize with
 * TensorFlow.js's {@code resizeBilinear} (alignCorners false, halfPixelCenters false: source =
 * dst * in / out, which OpenCV's INTER_LINEAR does not do). The arithmetic follows TF.js's CPU
 * kernels: double inside, float32 between operations.
 */
public record PadSquareTf(int size) implements InputTransform {
    @Override
    public float[] apply(LoadedImage img) {
        int w = img.width();
        int h = img.height();
        int side = Math.max(w, h);
        byte[] rgb = img.rgb();
        double ratio = (double) side / size;
        float[] out = new float[size * size * 3];
        for (int r = 0; r < size; r++) {
            double sr = ratio * r;
            int r0 = Math.max(0, (int) Math.floor(sr));
            double rf = sr - r0;
            int r1 = Math.min(side - 1, (int) Math.ceil(sr));
            for (int c = 0; c < size; c++) {
                double sc = ratio * c;
                int c0 = Math.max(0, (int) Math.floor(sc));
                double cf = sc - c0;
                int c1 = Math.min(side - 1, (int) Math.ceil(sc));
                for (int ch = 0; ch < 3; ch++) {
                    double tl = px(rgb, w, h, r0, c0, ch);
                    double tr = px(rgb, w, h, r0, c1, ch);
                    double bl = px(rgb, w, h, r1, c0, ch);
                    double br = px(rgb, w, h, r1, c1, ch);
                    double top = tl + (tr - tl) * cf;
                    double bottom = bl + (br - bl) * cf;
                    float v = (float) (top + (bottom - top) * rf);
                    float scaled = (float) (v / 127.5);
                    out[(r * size + c) * 3 + ch] = (float) (scaled - 1.0);
                }
            }
        }
        return out;
    }

    /** A pixel of the image padded with zeros below and to the right. */
    private static int px(byte[] rgb, int w, int h, int r, int c, int ch) {
        return r < h && c < w ? rgb[3 * (r * w + c) + ch] & 0xff : 0;
    }

    /**
     * face-api's padX, padY: the padded square's size over the image's size once resized into it
     * ({@code computeReshapedDimensions}: rounded), that size at least 1 pixel: face-api's own
     * rounding makes a side under half a pixel 0, and every box infinite (a 3 x 20000 image).
     */
    @Override
    public double[] factors(int width, int height) {
        double scale = (double) size / Math.max(width, height);
        return new double[] {size / (double) Math.max(1, Math.round(width * scale)),
                size / (double) Math.max(1, Math.round(height * scale))};
    }

    /**
     * TF.js's taps: output pixel {@code d} samples {@code d * side / size} of the padded square,
     * reading its floor and ceiling; whatever lies beyond the image is padding, not image.
     */
    @Override
    public int[] readSpan(long lo, long hi, int width, int height, boolean horizontal) {
        int extent = horizontal ? width : height;
        int side = Math.max(width, height);
        double ratio = (double) side / size;
        long a = Math.max(0, lo);
        long b = Math.min(size - 1L, hi);
        if (a > b) {
            return null;
        }
        long first = Math.max(0, (long) Math.floor(ratio * a));
        long last = Math.min(side - 1L, (long) Math.ceil(ratio * b));
        return InputTransform.clip(first, last, extent);
    }

    @Override
    public String describe() {
        return size + "x" + size + " after padding to a square (black, bottom/right), TF.js resizeBilinear, x / 127.5 - 1";
    }
}

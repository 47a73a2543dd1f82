package org.layerlens.engine.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Image reading and the network's input transform, as pytorch-ssd's PredictionTransform:
 * RGB, resize to S x S (bilinear), (x - 127) / 128, NCHW float32. Reads what OpenCV's imread
 * reads (jpg, png, bmp, tiff, webp, ...); grayscale and alpha images become RGB.
 */
public final class Preprocess {
    public static final float MEAN = 127f;
    public static final float STD = 128f;

    private Preprocess() {
    }

    public static LoadedImage read(Path file) throws IOException {
        OpenCv.load();
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        Mat bgr = Imgcodecs.imread(file.toAbsolutePath().toString(), Imgcodecs.IMREAD_COLOR);
        if (bgr.empty()) {
            throw new IOException(file + ": not an image OpenCV can read (jpg, png, bmp, tiff, webp, ...)");
        }
        Mat rgb = new Mat();
        Imgproc.cvtColor(bgr, rgb, Imgproc.COLOR_BGR2RGB);
        byte[] px = new byte[(int) (rgb.total() * 3)];
        rgb.get(0, 0, px);
        LoadedImage img = new LoadedImage(file, rgb.cols(), rgb.rows(), px);
        bgr.release();
        rgb.release();
        return img;
    }

    /** [1, 3, size, size] input tensor for the network. */
    public static INDArray toTensor(LoadedImage img, int size) {
        OpenCv.load();
        Mat rgb = new Mat(img.height(), img.width(), org.opencv.core.CvType.CV_8UC3);
        rgb.put(0, 0, img.rgb());
        Mat small = new Mat();
        Imgproc.resize(rgb, small, new Size(size, size), 0, 0, Imgproc.INTER_LINEAR);
        byte[] px = new byte[size * size * 3];
        small.get(0, 0, px);
        rgb.release();
        small.release();
        int plane = size * size;
        float[] chw = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                chw[c * plane + i] = ((px[3 * i + c] & 0xff) - MEAN) / STD;
            }
        }
        return Nd4j.create(chw, new long[] {1, 3, size, size}, 'c');
    }

    /**
     * face-api's input transform ({@code NetInput.toBatchTensor(size, false)} then
     * {@code x / 127.5 - 1}): pad the image with black at the bottom or right to a square,
     * resize with TensorFlow.js's {@code resizeBilinear} (alignCorners false, halfPixelCenters
     * false: source = dst * in / out, which OpenCV's INTER_LINEAR does not do), NCHW float32.
     * The arithmetic follows TF.js's CPU kernels: double inside, float32 between operations.
     */
    public static INDArray toTensorTfSquare(LoadedImage img, int size) {
        int w = img.width();
        int h = img.height();
        int side = Math.max(w, h);
        byte[] rgb = img.rgb();
        double ratio = (double) side / size;
        int plane = size * size;
        float[] chw = new float[3 * plane];
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
                    chw[ch * plane + r * size + c] = (float) (scaled - 1.0);
                }
            }
        }
        return Nd4j.create(chw, new long[] {1, 3, size, size}, 'c');
    }

    /** A pixel of the image padded with zeros below and to the right. */
    private static int px(byte[] rgb, int w, int h, int r, int c, int ch) {
        return r < h && c < w ? rgb[3 * (r * w + c) + ch] & 0xff : 0;
    }
}

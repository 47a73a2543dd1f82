package org.layerlens.viewer;

import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.image.OpenCv;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * The window's image made different with OpenCV, to compare a network with itself: mirrored
 * left to right, darker (every channel times a factor, rounded and saturated as OpenCV's
 * {@code convertTo} does), or written as a JPEG at a chosen quality and read back. The result
 * has the original's size, so boxes and maps line up with it (mirrored ones once flipped back).
 */
public final class ImageVariants {
    /** How B's image is made from A's; what {@code amount} means for each. */
    public enum Kind {
        /** left to right; no amount */
        MIRRORED,
        /** brightness factor in (0, 1] */
        DARKER,
        /** JPEG quality 1..100 */
        JPEG
    }

    private ImageVariants() {
    }

    /** {@code img} made different as {@code kind} says; {@link IllegalArgumentException} for an amount out of range. */
    public static LoadedImage make(LoadedImage img, Kind kind, double amount) {
        return switch (kind) {
            case MIRRORED -> mirrored(img);
            case DARKER -> darker(img, amount);
            case JPEG -> jpeg(img, (int) Math.round(amount));
        };
    }

    public static LoadedImage mirrored(LoadedImage img) {
        return apply(img, (src, dst) -> Core.flip(src, dst, 1));
    }

    public static LoadedImage darker(LoadedImage img, double factor) {
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException("a darker image keeps a share of the brightness in (0, 1], not " + factor);
        }
        return apply(img, (src, dst) -> src.convertTo(dst, -1, factor, 0));
    }

    public static LoadedImage jpeg(LoadedImage img, int quality) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality is 1..100, not " + quality);
        }
        return apply(img, (src, dst) -> {
            Mat bgr = new Mat();
            MatOfByte bytes = new MatOfByte();
            try {
                Imgproc.cvtColor(src, bgr, Imgproc.COLOR_RGB2BGR);
                if (!Imgcodecs.imencode(".jpg", bgr, bytes, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality))) {
                    throw new IllegalStateException("OpenCV could not encode a JPEG");
                }
                Mat back = Imgcodecs.imdecode(bytes, Imgcodecs.IMREAD_COLOR);
                Imgproc.cvtColor(back, dst, Imgproc.COLOR_BGR2RGB);
                back.release();
            } finally {
                bgr.release();
                bytes.release();
            }
        });
    }

    /** The size in bytes of {@code img} as a JPEG at {@code quality} (the pane says what the compression kept). */
    public static int jpegBytes(LoadedImage img, int quality) {
        OpenCv.load();
        Mat src = mat(img);
        Mat bgr = new Mat();
        MatOfByte bytes = new MatOfByte();
        try {
            Imgproc.cvtColor(src, bgr, Imgproc.COLOR_RGB2BGR);
            Imgcodecs.imencode(".jpg", bgr, bytes, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality));
            return (int) bytes.total();
        } finally {
            src.release();
            bgr.release();
            bytes.release();
        }
    }

    private interface Op {
        void apply(Mat src, Mat dst);
    }

    private static LoadedImage apply(LoadedImage img, Op op) {
        OpenCv.load();
        Mat src = mat(img);
        Mat dst = new Mat();
        try {
            op.apply(src, dst);
            byte[] px = new byte[img.width() * img.height() * 3];
            dst.get(0, 0, px);
            return new LoadedImage(null, img.width(), img.height(), px, img.originalWidth(), img.originalHeight());
        } finally {
            src.release();
            dst.release();
        }
    }

    private static Mat mat(LoadedImage img) {
        Mat m = new Mat(img.height(), img.width(), CvType.CV_8UC3);
        m.put(0, 0, img.rgb());
        return m;
    }
}

package org.layerlens.engine.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Reads images with OpenCV (jpg, png, bmp, tiff, webp, ...; not GIF, which OpenCV 4.9 cannot
 * decode) as 8-bit RGB; grayscale becomes RGB, alpha is dropped (the colour stored under a
 * transparent pixel is kept, as cv2.imread does). Images larger than {@link #MAX_PIXELS} are
 * shrunk: a JPEG while decoding (OpenCV's reduced decoders, then an area resize), so that a
 * 48-megapixel photo never exists at full size in memory; other formats (a large PNG) are decoded
 * in full, then resized.
 */
public final class Images {
    /** Extensions of video containers (only Motion-JPEG .avi decodes with the bundled OpenCV; the others get its message). */
    public static final Set<String> VIDEO_EXTENSIONS = Set.of("avi", "mp4", "mkv", "mov", "webm",
            "m4v", "mjpg", "mjpeg", "mpg", "mpeg", "wmv");

    /** Largest image kept: 16 megapixels (4096 x 4096). Networks see 300 or 512 pixels. */
    public static final long MAX_PIXELS = 16L << 20;

    private Images() {
    }

    public static LoadedImage read(Path file) throws IOException {
        OpenCv.load();
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + (Files.isDirectory(file) ? ": a folder, not an image"
                    : Files.exists(file) ? ": not a regular file (a device or a pipe), not an image"
                    : Files.isSymbolicLink(file) ? ": a link that leads to no file (dangling, or a loop)" : ": no such file"));
        }
        JpegFile.Header jpeg = JpegFile.header(file); // null for any other format
        int reduce = reduction(file, jpeg);
        // a PNG is checked, and its colour profile dropped, first: libpng says both on stderr (PngFile)
        List<PngFile.Span> profiles = jpeg == null ? PngFile.check(file) : List.of();
        // a JPEG cut short: libjpeg says "Premature end of JPEG file" on stderr when it reads the
        // file, not when OpenCV hands it the bytes from memory; our own warning below says it once
        boolean cutShort = jpeg != null && !JpegFile.hasEnd(file, jpeg);
        int flags = reduce == 1 ? Imgcodecs.IMREAD_COLOR
                : reduce == 2 ? Imgcodecs.IMREAD_REDUCED_COLOR_2 : reduce == 4 ? Imgcodecs.IMREAD_REDUCED_COLOR_4
                : Imgcodecs.IMREAD_REDUCED_COLOR_8;
        Mat bgr = !profiles.isEmpty() ? decodeWithout(file, profiles)
                : cutShort ? decodeFromMemory(file, flags)
                : Imgcodecs.imread(file.toAbsolutePath().toString(), flags);
        try {
            if (bgr.empty()) {
                if (VIDEO_EXTENSIONS.contains(ImageFolder.extension(file))) {
                    throw new IOException(file + ": a video; commands read images (the window plays videos: "
                            + "layerlens --video " + file.getFileName() + ")");
                }
                throw new IOException(file + ": not an image OpenCV can read (jpg, png, bmp, tiff, webp, ...)");
            }
            int[] orig = originalSize(jpeg, bgr.cols(), bgr.rows(), reduce);
            int origW = orig[0];
            int origH = orig[1];
            long pixels = (long) bgr.cols() * bgr.rows();
            if (pixels > MAX_PIXELS) {
                double s = Math.sqrt((double) MAX_PIXELS / pixels);
                Mat small = new Mat();
                Imgproc.resize(bgr, small, new org.opencv.core.Size(Math.max(1, Math.floor(bgr.cols() * s)),
                        Math.max(1, Math.floor(bgr.rows() * s))), 0, 0, Imgproc.INTER_AREA);
                bgr.release();
                bgr = small;
            }
            Mat rgb = new Mat();
            Imgproc.cvtColor(bgr, rgb, Imgproc.COLOR_BGR2RGB);
            byte[] px = new byte[(int) (rgb.total() * 3)];
            rgb.get(0, 0, px);
            List<String> warnings = new ArrayList<>();
            if (cutShort) {
                // libjpeg says "Premature end of JPEG file" and greys what is missing; other viewers
                // open such files too, so it is read, and said once
                warnings.add(file + ": the JPEG ends before its end marker (truncated?); only the part"
                        + " that is there was decoded");
            }
            LoadedImage img = new LoadedImage(file, rgb.cols(), rgb.rows(), px, origW, origH, warnings);
            rgb.release();
            return img;
        } finally {
            bgr.release();
        }
    }

    /** A file decoded by OpenCV from its bytes in memory, with {@code imread}'s {@code flags}. */
    private static Mat decodeFromMemory(Path file, int flags) throws IOException {
        return decode(Files.readAllBytes(file), flags);
    }

    /** Encoded bytes (a JPEG, a PNG, ...) decoded by OpenCV with {@code imread}'s {@code flags}; empty when it cannot. */
    static Mat decode(byte[] encoded, int flags) {
        MatOfByte bytes = new MatOfByte(encoded);
        try {
            return Imgcodecs.imdecode(bytes, flags);
        } finally {
            bytes.release();
        }
    }

    /** A PNG decoded by OpenCV as 8-bit BGR, as {@code imread} reads it, without the chunks {@code left}. */
    private static Mat decodeWithout(Path file, List<PngFile.Span> left) throws IOException {
        Mat bytes = PngFile.without(file, left);
        try {
            return Imgcodecs.imdecode(bytes, Imgcodecs.IMREAD_COLOR);
        } finally {
            bytes.release();
        }
    }

    /**
     * The size of the picture in the file, upright, for an image OpenCV decoded at {@code cols x
     * rows} shrunk by {@code reduce}; {@code h} is the file's JPEG header, null for
     * other files. A JPEG's size comes from its frame header (SOFn), its axes
     * swapped where the EXIF orientation turns the picture a quarter (OpenCV applies it while
     * decoding), provided the decoded size is that one divided by {@code reduce} rounded up (as
     * libjpeg's scaled decoding rounds); otherwise, and for other files, the decoded size times
     * {@code reduce}.
     * Multiplying alone made an 8001 x 6001 JPEG, decoded at half its size, 8002 x 6002.
     */
    static int[] originalSize(JpegFile.Header h, int cols, int rows, int reduce) {
        if (h != null) {
            int w = h.uprightWidth();
            int hh = h.uprightHeight();
            if (cols == (w + reduce - 1) / reduce && rows == (hh + reduce - 1) / reduce) {
                return new int[] {w, hh};
            }
        }
        return new int[] {cols * reduce, rows * reduce};
    }

    /**
     * A copy of {@code img} no larger than {@code maxSide} on either side (OpenCV's area
     * resampling), for display: the window never builds a picture of 16 megapixels to show it in
     * a few hundred. The original size is kept, so boxes still map onto it. Returns {@code img}
     * itself when it is small enough.
     */
    public static LoadedImage fit(LoadedImage img, int maxSide) {
        int side = Math.max(img.width(), img.height());
        if (side <= maxSide) {
            return img;
        }
        OpenCv.load();
        double s = (double) maxSide / side;
        int w = Math.max(1, (int) Math.round(img.width() * s));
        int h = Math.max(1, (int) Math.round(img.height() * s));
        Mat src = new Mat(img.height(), img.width(), org.opencv.core.CvType.CV_8UC3);
        Mat small = new Mat();
        try {
            src.put(0, 0, img.rgb());
            Imgproc.resize(src, small, new org.opencv.core.Size(w, h), 0, 0, Imgproc.INTER_AREA);
            byte[] px = new byte[w * h * 3];
            small.get(0, 0, px);
            return new LoadedImage(img.source(), w, h, px, img.originalWidth(), img.originalHeight(), img.warnings());
        } finally {
            src.release();
            small.release();
        }
    }

    /**
     * A tiny image (long side under {@code minSide}) magnified by a whole factor, each pixel a
     * square: a picture drawn large from a few pixels is otherwise smoothed into gradients (a 1x1
     * image showed as four). Larger images come back as they are; the original size is kept.
     */
    public static LoadedImage magnified(LoadedImage img, int minSide) {
        int side = Math.max(img.width(), img.height());
        if (side >= minSide) {
            return img;
        }
        int k = (minSide + side - 1) / side;
        int w = img.width() * k;
        int h = img.height() * k;
        byte[] px = new byte[w * h * 3];
        byte[] src = img.rgb();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(src, ((y / k) * img.width() + x / k) * 3, px, (y * w + x) * 3, 3);
            }
        }
        return new LoadedImage(img.source(), w, h, px, img.originalWidth(), img.originalHeight(), img.warnings());
    }

    /**
     * 1, 2, 4 or 8: how much OpenCV may shrink a JPEG while decoding it (DCT scaling, much cheaper
     * than decoding in full) while keeping at least a quarter of {@link #MAX_PIXELS} (4 megapixels,
     * more than a window shows and far more than a network reads): a 48-megapixel photo is decoded
     * at 12 megapixels and never exists at full size. The size is the JPEG's frame header's
     * ({@code jpeg}, read once for this and for the size reported).
     */
    static int reduction(Path file, JpegFile.Header jpeg) {
        String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (!(n.endsWith(".jpg") || n.endsWith(".jpeg")) || jpeg == null) {
            return 1;
        }
        long pixels = (long) jpeg.width() * jpeg.height();
        int r = 1;
        while (r < 8 && pixels / ((long) (2 * r) * (2 * r)) >= MAX_PIXELS / 4) {
            r *= 2;
        }
        return r;
    }
}

package org.layerlens.engine.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;
import org.opencv.videoio.VideoCapture;
import org.opencv.videoio.Videoio;

/**
 * Frames of a video file or a camera through OpenCV's VideoCapture, as {@link LoadedImage}s.
 * The OpenCV build LayerLens ships (openpnp 4.9) has no FFmpeg and no GStreamer: it reads
 * Motion-JPEG in AVI files (OpenCV's own MJPEG backend) and V4L2 cameras, nothing else; other
 * files get one line saying so. Methods are synchronized: closing while another thread reads is safe.
 */
public final class Video implements AutoCloseable {
    /** What a user can open with this build, for messages and file dialogs. */
    public static final String READABLE = "Motion-JPEG in .avi (this OpenCV build has no FFmpeg)";
    private final VideoCapture capture;
    private final Path source;
    private final String name;
    private final double fps;
    private final int frameCount;
    private int position;
    private boolean closed;

    private Video(VideoCapture capture, Path source, String name) {
        this.capture = capture;
        this.source = source;
        this.name = name;
        double f = capture.get(Videoio.CAP_PROP_FPS);
        this.fps = f > 0 && f < 1000 ? f : 25;
        double n = capture.get(Videoio.CAP_PROP_FRAME_COUNT);
        this.frameCount = n > 0 ? (int) n : -1;
    }

    /** Opens a video file; an {@link IOException} with one line naming the file when it cannot be read. */
    public static Video open(Path file) throws IOException {
        OpenCv.load();
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        // OpenCV's own MJPEG reader first: trying every backend prints errors for each one that refuses
        VideoCapture c = new VideoCapture(file.toAbsolutePath().toString(), Videoio.CAP_OPENCV_MJPEG);
        if (!c.isOpened()) {
            c.release();
            c = new VideoCapture(file.toAbsolutePath().toString(), Videoio.CAP_ANY);
        }
        if (!c.isOpened()) {
            c.release();
            if (isAvi(file)) {
                throw new IOException(file + ": an .avi OpenCV could not open: damaged or cut short? (it reads "
                        + READABLE + ")");
            }
            throw new IOException(file + ": not a video OpenCV can read here; it reads " + READABLE);
        }
        Video v = new Video(c, file, file.getFileName().toString());
        if (v.frameCount == 0) {
            v.close();
            throw new IOException(file + ": the video has no frames");
        }
        return v;
    }

    /** Opens camera {@code index}; an {@link IOException} with one line when there is none. */
    public static Video camera(int index) throws IOException {
        OpenCv.load();
        VideoCapture c = new VideoCapture(index, Videoio.CAP_V4L2);
        if (!c.isOpened()) {
            c.release();
            throw new IOException("camera " + index + ": no camera found (OpenCV could not open /dev/video" + index
                    + ")");
        }
        return new Video(c, null, "camera " + index);
    }

    /** Frames per second the file declares (25 when it declares none). */
    public double fps() {
        return fps;
    }

    /** Number of frames; -1 for a camera. */
    public int frameCount() {
        return frameCount;
    }

    public boolean camera() {
        return source == null;
    }

    public String name() {
        return name;
    }

    /** Index of the frame the next {@link #read} returns. */
    public synchronized int position() {
        return position;
    }

    /** The next frame, or null at the end. */
    public synchronized LoadedImage read() {
        if (closed) {
            return null;
        }
        Mat bgr = new Mat();
        Mat rgb = new Mat();
        try {
            if (!capture.read(bgr) || bgr.empty()) {
                return null;
            }
            position++;
            Imgproc.cvtColor(bgr, rgb, Imgproc.COLOR_BGR2RGB);
            byte[] px = new byte[(int) (rgb.total() * 3)];
            rgb.get(0, 0, px);
            return new LoadedImage(source, rgb.cols(), rgb.rows(), px);
        } finally {
            bgr.release();
            rgb.release();
        }
    }

    /** Moves past the next frame without decoding it; false at the end. */
    public synchronized boolean skip() {
        if (closed || !capture.grab()) {
            return false;
        }
        position++;
        return true;
    }

    /** Moves to frame {@code index} (files only). */
    public synchronized void seek(int index) throws IOException {
        if (closed) {
            throw new IOException(name + ": the video was closed");
        }
        if (camera()) {
            throw new IOException(name + ": a camera cannot seek");
        }
        int target = Math.max(0, frameCount > 0 ? Math.min(frameCount - 1, index) : index);
        if (!capture.set(Videoio.CAP_PROP_POS_FRAMES, target)) {
            // a backend without seeking: start again and skip
            capture.set(Videoio.CAP_PROP_POS_FRAMES, 0);
            position = 0;
            while (position < target && skip()) {
                // skipping
            }
            return;
        }
        position = (int) Math.round(capture.get(Videoio.CAP_PROP_POS_FRAMES));
        if (position != target) {
            throw new IOException(String.format(Locale.ROOT, "%s: asked for frame %d, OpenCV went to %d", name, target,
                    position));
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        capture.release();
    }

    /** Whether the file starts as an AVI does ("RIFF", a size, "AVI "): a Motion-JPEG .avi that fails to open is damaged. */
    private static boolean isAvi(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(12);
            return head.length == 12 && new String(head, 0, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("RIFF")
                    && new String(head, 8, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("AVI ");
        } catch (IOException e) {
            return false;
        }
    }
}

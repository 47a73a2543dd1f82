package org.layerlens.engine.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;
import org.opencv.videoio.VideoCapture;
import org.opencv.videoio.Videoio;

/**
 * Frames of a video file or a camera as {@link LoadedImage}s. The OpenCV build LayerLens ships
 * (openpnp 4.9) has no FFmpeg and no GStreamer: it reads Motion-JPEG in AVI files and V4L2
 * cameras, nothing else; other files get one line saying so. A Motion-JPEG .avi is read by
 * {@link AviFrames} (its chunks walked, each frame's JPEG decoded by OpenCV): a recording cut
 * short plays up to its cut, and a damaged frame is skipped with a warning, where OpenCV's reader
 * refused the first and ended the video at the second. Cameras and other files go through
 * OpenCV's VideoCapture. Methods are synchronized: closing while another thread reads is safe.
 */
public final class Video implements AutoCloseable {
    /** What a user can open with this build, for messages and file dialogs. */
    public static final String READABLE = "Motion-JPEG in .avi (this OpenCV build has no FFmpeg)";
    private final Frames frames;
    private final Path source;
    private final String name;
    private final double fps;
    private final int frameCount;
    private int position;
    private boolean closed;

    private Video(Frames frames, Path source, String name, double fps, int frameCount) {
        this.frames = frames;
        this.source = source;
        this.name = name;
        this.fps = fps > 0 && fps < 1000 ? fps : 25;
        this.frameCount = frameCount;
    }

    private static Video of(VideoCapture capture, Path source, String name) {
        double n = capture.get(Videoio.CAP_PROP_FRAME_COUNT);
        return new Video(new CaptureFrames(capture, source), source, name, capture.get(Videoio.CAP_PROP_FPS),
                n > 0 ? (int) n : -1);
    }

    /** Opens a video file; an {@link IOException} with one line naming the file when it cannot be read. */
    public static Video open(Path file) throws IOException {
        OpenCv.load();
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + (Files.isDirectory(file) ? ": a folder, not a video" : ": no such file"));
        }
        AviFrames avi = AviFrames.open(file);
        if (avi != null) {
            if (avi.count() == 0) {
                avi.close();
                throw new IOException(file + (avi.cutShort() ? ": an .avi cut short before its first frame"
                        : ": the video has no frames"));
            }
            return new Video(avi, file, file.getFileName().toString(), avi.fps(), avi.count());
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
        Video v = of(c, file, file.getFileName().toString());
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
        return of(c, null, "camera " + index);
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

    /**
     * Index of the frame the next {@link #read} returns, or would return were it not damaged; after
     * a read, {@code position() - 1} is the index of the frame it returned.
     */
    public synchronized int position() {
        return position;
    }

    /**
     * The next frame, or null at the end. A frame that cannot be decoded is skipped: the next
     * one comes back with a warning naming the one skipped, and {@link #position} moves past both.
     */
    public synchronized LoadedImage read() {
        if (closed) {
            return null;
        }
        List<String> skipped = new ArrayList<>();
        while (true) {
            Frames.Result r = frames.read(position);
            if (r == null) {
                return null;
            }
            position++;
            if (r.image() != null) {
                List<String> warnings = new ArrayList<>(r.warnings());
                warnings.addAll(skipped);
                return warnings.isEmpty() ? r.image() : new LoadedImage(r.image().source(), r.image().width(),
                        r.image().height(), r.image().rgb(), r.image().originalWidth(), r.image().originalHeight(),
                        warnings);
            }
            skipped.addAll(r.warnings());
        }
    }

    /** Moves past the next frame without decoding it; false at the end. */
    public synchronized boolean skip() {
        if (closed || !frames.skip(position)) {
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
        if (!frames.seek(target)) {
            // a backend without seeking: start again and skip
            frames.seek(0);
            position = 0;
            while (position < target && skip()) {
                // skipping
            }
            return;
        }
        position = frames.positionAfterSeek(target);
        if (position != target) {
            throw new IOException(String.format(Locale.ROOT, "%s: asked for frame %d, OpenCV went to %d", name, target,
                    position));
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        frames.close();
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

    /** Where frames come from: OpenCV's VideoCapture, or the chunks of a Motion-JPEG .avi. */
    interface Frames extends AutoCloseable {
        /** A frame decoded (image not null) or not (warnings say why), or null at the end. */
        record Result(LoadedImage image, List<String> warnings) {
        }

        /** Frame {@code index}, the one after the last read, skipped or sought. */
        Result read(int index);

        /** Moves past frame {@code index}; false at the end. */
        boolean skip(int index);

        /** Moves to frame {@code index}; false when this source cannot seek. */
        boolean seek(int index);

        /** The frame the source is at after a {@link #seek} to {@code index}. */
        int positionAfterSeek(int index);

        @Override
        void close();
    }

    /** Frames through OpenCV's VideoCapture (cameras, and files {@link AviFrames} does not read). */
    private static final class CaptureFrames implements Frames {
        private final VideoCapture capture;
        private final Path source;

        CaptureFrames(VideoCapture capture, Path source) {
            this.capture = capture;
            this.source = source;
        }

        @Override
        public Result read(int index) {
            Mat bgr = new Mat();
            try {
                if (!capture.read(bgr) || bgr.empty()) {
                    return null;
                }
                return new Result(rgbImage(source, bgr), List.of());
            } finally {
                bgr.release();
            }
        }

        @Override
        public boolean skip(int index) {
            return capture.grab();
        }

        @Override
        public boolean seek(int index) {
            return capture.set(Videoio.CAP_PROP_POS_FRAMES, index);
        }

        @Override
        public int positionAfterSeek(int index) {
            return (int) Math.round(capture.get(Videoio.CAP_PROP_POS_FRAMES));
        }

        @Override
        public void close() {
            capture.release();
        }
    }

    /** A decoded BGR frame as an RGB image. */
    static LoadedImage rgbImage(Path source, Mat bgr) {
        Mat rgb = new Mat();
        try {
            Imgproc.cvtColor(bgr, rgb, Imgproc.COLOR_BGR2RGB);
            byte[] px = new byte[(int) (rgb.total() * 3)];
            rgb.get(0, 0, px);
            return new LoadedImage(source, rgb.cols(), rgb.rows(), px);
        } finally {
            rgb.release();
        }
    }
}

package org.layerlens.engine.image;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The frames of a Motion-JPEG .avi, found by {@link AviFile} and decoded one by one by OpenCV
 * from memory (the same decoder OpenCV's own AVI reader calls, and silent: reading from a file,
 * libjpeg prints its warnings on stderr). Seeking is exact: every frame's place is known.
 */
final class AviFrames implements Video.Frames {
    private final Path file;
    private final FileChannel channel;
    private final AviFile index;
    /** Said with the first frame read: the file is cut short, damaged bytes were stepped over. */
    private final List<String> openingWarnings = new ArrayList<>();

    private AviFrames(Path file, FileChannel channel, AviFile index) {
        this.file = file;
        this.channel = channel;
        this.index = index;
        int n = index.frames().size();
        if (index.bytesSkipped() > 0) {
            openingWarnings.add(String.format(Locale.ROOT, "%s: %d damaged bytes between frames were stepped over; "
                    + "%d frames are played", file, index.bytesSkipped(), n));
        }
        if (index.cutShort()) {
            openingWarnings.add(String.format(Locale.ROOT, "%s: the video is cut short (an interrupted recording?); "
                    + "its %d whole frame%s %s played", file, n, n == 1 ? "" : "s", n == 1 ? "is" : "are"));
        }
    }

    /**
     * The frames of {@code file} when it is an AVI whose video is Motion-JPEG (its codec says so,
     * or its first frame starts as a JPEG does); null for any other file.
     */
    static AviFrames open(Path file) throws IOException {
        AviFile index = AviFile.read(file);
        if (index == null) {
            return null;
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            if (!isMotionJpeg(ch, index)) {
                ch.close();
                return null;
            }
            return new AviFrames(file, ch, index);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static boolean isMotionJpeg(FileChannel ch, AviFile index) throws IOException {
        String codec = index.codec().toUpperCase(Locale.ROOT);
        if (codec.equals("MJPG") || codec.equals("AVRN") || codec.equals("LJPG") || codec.equals("JPEG")) {
            return true;
        }
        for (AviFile.Frame f : index.frames()) {
            if (f.length() >= 2) {
                byte[] head = AviFile.data(ch, new AviFile.Frame(f.offset(), 2));
                return (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8;
            }
        }
        return index.frames().isEmpty() && index.cutShort();
    }

    int count() {
        return index.frames().size();
    }

    double fps() {
        return index.fps();
    }

    boolean cutShort() {
        return index.cutShort();
    }

    @Override
    public Result read(int at) {
        if (at >= count()) {
            return null;
        }
        List<String> warnings = new ArrayList<>(openingWarnings);
        openingWarnings.clear();
        LoadedImage img = decode(index.frames().get(at));
        if (img == null) {
            // counted from 1, as the window's video bar counts them ("frame 6 / 12")
            warnings.add(String.format(Locale.ROOT, "%s: frame %d of %d could not be decoded (damaged); skipped",
                    file, at + 1, count()));
        }
        return new Result(img, warnings);
    }

    /** The frame's JPEG decoded, or null when OpenCV cannot decode it (or it cannot be read). */
    private LoadedImage decode(AviFile.Frame f) {
        if (f.length() == 0) {
            return null;
        }
        Mat bgr;
        try {
            bgr = Images.decode(AviFile.data(channel, f), Imgcodecs.IMREAD_COLOR);
        } catch (IOException e) {
            return null;
        }
        try {
            return bgr.empty() ? null : Video.rgbImage(file, bgr);
        } finally {
            bgr.release();
        }
    }

    @Override
    public boolean skip(int at) {
        return at < count();
    }

    @Override
    public boolean seek(int at) {
        return true;
    }

    @Override
    public int positionAfterSeek(int at) {
        return at;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a file opened for reading: nothing is lost
        }
    }
}

package org.layerlens.engine;

import java.nio.file.Path;

import org.layerlens.engine.image.OpenCv;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import org.opencv.videoio.VideoWriter;
import org.opencv.videoio.Videoio;

/**
 * Pictures and videos the tests write with OpenCV itself, into their temporary folders (the
 * viewer's and the app's tests use them through this module's test jar).
 */
public final class TestImages {
    private TestImages() {
    }

    /** A smooth photo-like JPEG of {@code w x h} (random colours, enlarged), with a few shapes. */
    public static Path photo(Path file, int w, int h) {
        OpenCv.load();
        Mat small = new Mat(6, 8, CvType.CV_8UC3);
        Core.randu(small, 0, 255);
        Mat big = new Mat();
        Imgproc.resize(small, big, new Size(w, h), 0, 0, Imgproc.INTER_CUBIC);
        Imgproc.circle(big, new Point(w * 0.3, h * 0.4), h / 6, new Scalar(20, 30, 220), -1);
        Imgproc.rectangle(big, new Point(w * 0.6, h * 0.5), new Point(w * 0.8, h * 0.8), new Scalar(200, 40, 40), -1);
        if (!Imgcodecs.imwrite(file.toString(), big)) {
            throw new IllegalStateException("OpenCV could not write " + file);
        }
        small.release();
        big.release();
        return file;
    }

    /**
     * A Motion-JPEG .avi (the one container this OpenCV build reads) of {@code frames} 320x240
     * frames at {@code fps}: the sample image sliding from left to right.
     */
    public static Path video(Path file, Path image, int frames, double fps) {
        OpenCv.load();
        Mat src = Imgcodecs.imread(image.toString());
        Mat face = new Mat();
        Imgproc.resize(src, face, new Size(180, 180));
        VideoWriter w = new VideoWriter(file.toString(), Videoio.CAP_OPENCV_MJPEG,
                VideoWriter.fourcc('M', 'J', 'P', 'G'), fps, new Size(320, 240));
        if (!w.isOpened()) {
            throw new IllegalStateException("OpenCV could not write " + file);
        }
        for (int i = 0; i < frames; i++) {
            Mat f = new Mat(240, 320, CvType.CV_8UC3, new Scalar(40, 40, 40));
            int x = i * (320 - 180) / Math.max(1, frames - 1);
            face.copyTo(f.submat(30, 210, x, x + 180));
            w.write(f);
            f.release();
        }
        w.release();
        src.release();
        face.release();
        return file;
    }
}

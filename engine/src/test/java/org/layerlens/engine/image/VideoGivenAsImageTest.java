package org.layerlens.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.videoio.VideoWriter;

/** A video given where an image is read is named as a video, with where videos are opened. */
class VideoGivenAsImageTest {
    @Test
    void aVideoIsToldApartFromAFileThatIsNoImage(@TempDir Path dir) throws Exception {
        OpenCv.load();
        Path clip = dir.resolve("clip.avi");
        VideoWriter w = new VideoWriter(clip.toString(), VideoWriter.fourcc('M', 'J', 'P', 'G'), 10, new Size(64, 48));
        Mat frame = new Mat(48, 64, CvType.CV_8UC3, new Scalar(40, 120, 200));
        for (int i = 0; i < 3; i++) {
            w.write(frame);
        }
        w.release();
        frame.release();
        IOException video = assertThrows(IOException.class, () -> Images.read(clip));
        assertEquals(clip + ": a video; commands read images (the window plays videos: layerlens --video clip.avi)",
                video.getMessage());

        Path text = Files.writeString(dir.resolve("notes.png"), "not an image");
        IOException other = assertThrows(IOException.class, () -> Images.read(text));
        assertEquals(text + ": not an image OpenCV can read (jpg, png, bmp, tiff, webp, ...)", other.getMessage());
    }
}

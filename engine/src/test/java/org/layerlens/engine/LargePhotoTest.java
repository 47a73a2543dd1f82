package org.layerlens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.image.OpenCv;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * A 48-megapixel photo (8000 x 6000 JPEG, written here with OpenCV) is shrunk while it is
 * decoded, so that no full-size copy is kept, and detections still come in the file's pixels.
 */
class LargePhotoTest {
    @Test
    void a48MegapixelJpegIsReadShrunkAndBoxesAreInItsOwnPixels(@TempDir Path dir) throws Exception {
        OpenCv.load();
        Path file = dir.resolve("huge.jpg");
        Mat m = new Mat(6000, 8000, CvType.CV_8UC3, new Scalar(40, 90, 160));
        Imgproc.circle(m, new Point(4000, 3000), 1500, new Scalar(250, 250, 250), -1);
        assertTrue(Imgcodecs.imwrite(file.toString(), m));
        m.release();

        LoadedImage img = Images.read(file);
        assertEquals(8000, img.originalWidth());
        assertEquals(6000, img.originalHeight());
        assertTrue(img.shrunk());
        assertTrue((long) img.width() * img.height() <= Images.MAX_PIXELS,
                "kept " + img.width() + "x" + img.height());
        assertEquals(8000.0 / 6000, (double) img.width() / img.height(), 0.01);

        Model model = Model.open(TestData.reference("mb2-ssd-lite-random-4.pth"), null);
        for (Detection d : model.detect(img).detections(0.3)) {
            assertTrue(d.x2() <= 8000 && d.y2() <= 6000 && d.x1() >= 0 && d.y1() >= 0, d.box().toString());
        }
        assertEquals(8000, model.detect(img).imageWidth());
    }
}

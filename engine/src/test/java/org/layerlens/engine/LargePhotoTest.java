package org.layerlens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.DetectorOutput;
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
 * The trained default model (circles, squares, triangles) must find the two shapes drawn in it,
 * each box within 6 of the network's 300 input pixels of the drawn one (160 px across and 120 px
 * down in this photo: about twice the worst miss seen, 100 px), which a box left in the decoded
 * image's pixels (a quarter of these) or scaled on the wrong axis misses by far.
 */
class LargePhotoTest {
    private static final double TOLERANCE_X = 6 * 8000 / 300.0;
    private static final double TOLERANCE_Y = 6 * 6000 / 300.0;

    @Test
    void a48MegapixelJpegIsReadShrunkAndBoxesAreInItsOwnPixels(@TempDir Path dir) throws Exception {
        OpenCv.load();
        Path file = dir.resolve("huge.jpg");
        Mat m = new Mat(6000, 8000, CvType.CV_8UC3, new Scalar(40, 90, 160));
        // the shapes as reference/scenes.py draws them (filled, one colour), at this photo's scale
        Imgproc.circle(m, new Point(2500, 3000), 1500, new Scalar(250, 250, 250), -1);
        Imgproc.rectangle(m, new Point(5000, 1800), new Point(7400, 4200), new Scalar(30, 200, 60), -1);
        assertTrue(Imgcodecs.imwrite(file.toString(), m));
        m.release();

        LoadedImage img = Images.read(file);
        assertEquals(8000, img.originalWidth());
        assertEquals(6000, img.originalHeight());
        assertTrue(img.shrunk());
        assertTrue((long) img.width() * img.height() <= Images.MAX_PIXELS,
                "kept " + img.width() + "x" + img.height());
        assertEquals(8000.0 / 6000, (double) img.width() / img.height(), 0.01);

        Model model = TestData.defaultModel();
        DetectorOutput out = model.detect(img);
        assertEquals(8000, out.imageWidth());
        List<Detection> dets = out.detections(0.5);
        assertEquals(2, dets.size(), "one detection per shape: " + dets);
        assertFound(dets, "circle", 1000, 1500, 4000, 4500);
        assertFound(dets, "square", 5000, 1800, 7400, 4200);
    }

    private static void assertFound(List<Detection> dets, String label, double x1, double y1, double x2, double y2) {
        Detection d = dets.stream().filter(e -> e.label().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + label + " in " + dets));
        String what = label + " " + d.box() + " drawn at [" + x1 + ", " + y1 + ", " + x2 + ", " + y2 + "]";
        assertEquals(x1, d.x1(), TOLERANCE_X, what);
        assertEquals(y1, d.y1(), TOLERANCE_Y, what);
        assertEquals(x2, d.x2(), TOLERANCE_X, what);
        assertEquals(y2, d.y2(), TOLERANCE_Y, what);
    }
}

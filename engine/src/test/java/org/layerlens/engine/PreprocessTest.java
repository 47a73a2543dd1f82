package org.layerlens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.image.OpenCv;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.Stretch;
import org.layerlens.engine.io.Npy;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

class PreprocessTest {
    @ParameterizedTest
    @ValueSource(strings = {"astronaut", "coffee"})
    void inputTensorMatchesThePythonReference(String name) throws IOException {
        LoadedImage img = Images.read(TestData.sampleImage(name + ".png"));
        float[] ours = Stretch.mobilenet(300).apply(img);
        Npy.Array ref = Npy.read(TestData.reference("input-" + name + ".npy"));
        assertArrayEquals(new long[] {1, 3, 300, 300}, ref.shape());
        float[] want = TestData.nchwToHwc(ref);
        // Python's cv2 (Debian, 4.6) and openpnp's OpenCV 4.9 resize the same way: identical values
        double worst = ReferenceParityTest.maxDiff(ours, want);
        assertEquals(0.0, worst, 1e-7, "max |Java - Python| of the input tensor");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpg", "png", "bmp", "tiff", "webp"})
    void readsCommonFormatsIncludingGrayAndAlpha(String ext, @TempDir Path dir) throws IOException {
        OpenCv.load();
        Mat bgr = Imgcodecs.imread(TestData.sampleImage("coffee.png").toString());
        Path color = dir.resolve("c." + ext);
        assertTrue(Imgcodecs.imwrite(color.toString(), bgr), "OpenCV wrote " + ext);
        LoadedImage c = Images.read(color);
        assertEquals(600, c.width());
        assertEquals(400, c.height());
        assertEquals(600 * 400 * 3, c.rgb().length);

        Mat gray = new Mat();
        Imgproc.cvtColor(bgr, gray, Imgproc.COLOR_BGR2GRAY);
        Path g = dir.resolve("g." + ext);
        Imgcodecs.imwrite(g.toString(), gray);
        LoadedImage gi = Images.read(g);
        assertEquals(gi.rgb()[0], gi.rgb()[1]);
        assertEquals(gi.rgb()[1], gi.rgb()[2]);
        assertEquals(300 * 300 * 3, Stretch.mobilenet(300).apply(gi).length);
        if (!ext.equals("jpg") && !ext.equals("bmp")) {
            Mat bgra = new Mat();
            Imgproc.cvtColor(bgr, bgra, Imgproc.COLOR_BGR2BGRA);
            Path a = dir.resolve("a." + ext);
            Imgcodecs.imwrite(a.toString(), bgra);
            assertEquals(600 * 400 * 3, Images.read(a).rgb().length);
        }
    }

    @Test
    void unreadableImageNamesTheFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("broken.jpg");
        Files.writeString(f, "not an image");
        IOException e = assertThrows(IOException.class, () -> Images.read(f));
        assertTrue(e.getMessage().startsWith(f + ": not an image"), e.getMessage());
        Path missing = dir.resolve("missing.png");
        assertEquals(missing + ": no such file",
                assertThrows(IOException.class, () -> Images.read(missing)).getMessage());
    }
}

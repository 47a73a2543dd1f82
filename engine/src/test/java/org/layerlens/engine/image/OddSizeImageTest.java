package org.layerlens.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.TestData;
import org.layerlens.engine.api.DetectorOutput;
import org.layerlens.engine.api.Model;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * A large JPEG of odd size is decoded at half its size, which libjpeg rounds up (8001 x 6001 at
 * 4001 x 3001): its size must still be the file's, 8001 x 6001 (as ImageMagick's identify says),
 * not twice the decoded one (8002 x 6002, reported before), and turned upright where its EXIF
 * orientation turns the picture (orientation 6: 6001 x 8001). Boxes are scaled to that size.
 */
class OddSizeImageTest {
    @Test
    void anOddSizedLargeJpegKeepsItsSizeUprightAndBoxesUseIt(@TempDir Path dir) throws Exception {
        OpenCv.load();
        Path plain = dir.resolve("odd.jpg");
        Mat m = new Mat(6001, 8001, CvType.CV_8UC3, new Scalar(128, 128, 128));
        Imgproc.rectangle(m, new Point(0, 0), new Point(1999, 999), new Scalar(255, 255, 255), -1); // top left
        assertTrue(Imgcodecs.imwrite(plain.toString(), m));
        m.release();
        Path turned = dir.resolve("odd-orientation6.jpg");
        Files.write(turned, withOrientation(Files.readAllBytes(plain), 6));

        LoadedImage a = Images.read(plain);
        assertEquals(8001, a.originalWidth());
        assertEquals(6001, a.originalHeight());
        assertEquals(4001, a.width(), "decoded at half, rounded up");
        assertEquals(3001, a.height());

        LoadedImage b = Images.read(turned);
        assertEquals(6001, b.originalWidth());
        assertEquals(8001, b.originalHeight());
        assertEquals(3001, b.width(), "OpenCV turned it upright");
        assertEquals(4001, b.height());
        // orientation 6: turned a quarter clockwise, the stored top-left corner is now the top right
        assertEquals(255, b.rgb()[(10 * b.width() + b.width() - 10) * 3] & 0xff, "top right is white");
        assertEquals(128, b.rgb()[(10 * b.width() + 10) * 3] & 0xff, "top left is grey");

        Model model = TestData.defaultModel();
        DetectorOutput out = model.detect(b);
        assertEquals(6001, out.imageWidth());
        assertEquals(8001, out.imageHeight());
    }

    @Test
    void headerParsingIsSafeOnTruncatedAndForeignFiles(@TempDir Path dir) throws Exception {
        OpenCv.load();
        Path small = dir.resolve("small.jpg");
        Mat m = new Mat(21, 33, CvType.CV_8UC3, new Scalar(10, 20, 30));
        assertTrue(Imgcodecs.imwrite(small.toString(), m));
        m.release();
        byte[] bytes = Files.readAllBytes(small);
        JpegFile.Header h = JpegFile.header(small);
        assertNotNull(h);
        assertEquals(33, h.width());
        assertEquals(21, h.height());
        assertEquals(1, h.orientation());
        Path six = dir.resolve("six.jpg");
        Files.write(six, withOrientation(bytes, 6));
        assertEquals(6, JpegFile.header(six).orientation());
        LoadedImage li = Images.read(six);
        assertEquals(21, li.originalWidth());
        assertEquals(33, li.originalHeight());
        // every prefix of the file: no exception, and a size only while the frame header is whole
        Path cut = dir.resolve("cut.jpg");
        for (int n = 0; n < 400 && n < bytes.length; n++) {
            Files.write(cut, java.util.Arrays.copyOf(bytes, n));
            JpegFile.Header c = JpegFile.header(cut);
            if (c != null) {
                assertEquals(33, c.width());
                assertEquals(21, c.height());
            }
        }
        Path png = dir.resolve("not.jpg");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        assertNull(JpegFile.header(png));
    }

    /** {@code jpeg} with an EXIF segment (APP1, little-endian TIFF) holding only the orientation, after SOI. */
    static byte[] withOrientation(byte[] jpeg, int orientation) {
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        tiff.writeBytes(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0}); // header, IFD0 at 8
        tiff.writeBytes(new byte[] {1, 0}); // one entry
        tiff.writeBytes(new byte[] {0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte) orientation, 0, 0, 0});
        tiff.writeBytes(new byte[] {0, 0, 0, 0}); // no next IFD
        byte[] t = tiff.toByteArray();
        int len = 2 + 6 + t.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xe1, (byte) (len >> 8), (byte) len, 'E', 'x', 'i', 'f', 0, 0});
        out.writeBytes(t);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}

package org.layerlens.engine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** {@link Images#magnified}: a tiny image's pixels as whole squares, larger images untouched. */
class MagnifiedTest {
    @Test
    void eachPixelBecomesASquareOfTheSameColour() {
        // 2x1: red, blue -> to at least 5 px: factor 3, 6x3
        LoadedImage img = new LoadedImage(Path.of("two.png"), 2, 1, new byte[] {(byte) 255, 0, 0, 0, 0, (byte) 255});
        LoadedImage big = Images.magnified(img, 5);
        assertEquals(6, big.width());
        assertEquals(3, big.height());
        assertEquals(2, big.originalWidth(), "the original size is kept");
        assertEquals(1, big.originalHeight());
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 6; x++) {
                byte[] px = {big.rgb()[(y * 6 + x) * 3], big.rgb()[(y * 6 + x) * 3 + 1], big.rgb()[(y * 6 + x) * 3 + 2]};
                assertArrayEquals(x < 3 ? new byte[] {(byte) 255, 0, 0} : new byte[] {0, 0, (byte) 255}, px,
                        "pixel " + x + "," + y);
            }
        }
        assertSame(big, Images.magnified(big, 5), "already large enough");
    }
}

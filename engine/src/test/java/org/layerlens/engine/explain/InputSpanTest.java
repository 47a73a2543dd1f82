package org.layerlens.engine.explain;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.layerlens.engine.image.InputTransform;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.image.PadSquareTf;
import org.layerlens.engine.image.Stretch;

/**
 * Receptive fields reach image pixels through the input transform's resampling: {@code readSpan}
 * against brute force. For every column (and row) of a random image, change it and see which
 * network-input columns change; the span a network column reports must hold every image column
 * that changed it, and its ends must be such columns (within a pixel: OpenCV's 11-bit
 * fixed-point weights round a tiny tap to nothing). Sizes cover OpenCV's exact-2x path
 * (INTER_AREA), other reductions, enlargement, and faces-v1's padding of either side.
 */
class InputSpanTest {
    record Case(InputTransform t, int w, int h) {
    }

    @Test
    void spansHoldExactlyTheImagePixelsEachNetworkPixelReads() {
        List<Case> cases = List.of(new Case(Stretch.mobilenet(300), 600, 400), new Case(Stretch.mobilenet(300), 1000, 700),
                new Case(Stretch.mobilenet(300), 200, 150), new Case(Stretch.mobilenet(300), 301, 299),
                new Case(new PadSquareTf(512), 640, 480), new Case(new PadSquareTf(512), 300, 700),
                new Case(new PadSquareTf(512), 1024, 1024));
        for (Case c : cases) {
            for (boolean horizontal : new boolean[] {true, false}) {
                int worst = check(c, horizontal);
                System.out.printf("%s %dx%d %s: every network pixel's span holds the image pixels that change it, "
                        + "ends within %d px%n", c.t().getClass().getSimpleName(), c.w(), c.h(),
                        horizontal ? "columns" : "rows", worst);
                assertTrue(worst <= 1, "span ends off by " + worst);
            }
        }
    }

    /** The largest distance between a span's end and the nearest image line that really changes the pixel. */
    private static int check(Case c, boolean horizontal) {
        Random r = new Random(c.w() * 31 + c.h());
        byte[] rgb = new byte[c.w() * c.h() * 3];
        r.nextBytes(rgb);
        float[] base = c.t().apply(new LoadedImage(null, c.w(), c.h(), rgb));
        int size = c.t().size();
        int extent = horizontal ? c.w() : c.h();
        List<TreeSet<Integer>> readers = new ArrayList<>();
        for (int d = 0; d < size; d++) {
            readers.add(new TreeSet<>());
        }
        // lines far enough apart never reach the same network pixel: change a comb of them at once
        int side = c.t() instanceof PadSquareTf ? Math.max(c.w(), c.h()) : extent;
        double ratio = (double) side / size;
        int spacing = 2 * (int) Math.ceil(ratio) + 6;
        for (int offset = 0; offset < spacing; offset++) {
            byte[] changed = rgb.clone();
            int across = horizontal ? c.h() : c.w();
            for (int line = offset; line < extent; line += spacing) {
                for (int k = 0; k < across; k++) {
                    int x = horizontal ? line : k;
                    int y = horizontal ? k : line;
                    for (int ch = 0; ch < 3; ch++) {
                        int i = (y * c.w() + x) * 3 + ch;
                        changed[i] = (byte) ((rgb[i] & 0xff) < 128 ? 255 : 0);
                    }
                }
            }
            float[] out = c.t().apply(new LoadedImage(null, c.w(), c.h(), changed));
            for (int d = 0; d < size; d++) {
                boolean diff = false;
                for (int k = 0; k < size && !diff; k++) {
                    int px = horizontal ? k * size + d : d * size + k;
                    for (int ch = 0; ch < 3 && !diff; ch++) {
                        diff = out[px * 3 + ch] != base[px * 3 + ch];
                    }
                }
                if (diff) {
                    // the changed line of the comb nearest to where pixel d samples
                    double at = (d + 0.5) * ratio;
                    long n = Math.round((at - offset) / spacing);
                    int line = (int) (offset + Math.max(0, n) * spacing);
                    if (line >= extent) {
                        line -= spacing;
                    }
                    readers.get(d).add(line);
                }
            }
        }
        int worst = 0;
        for (int d = 0; d < size; d++) {
            int[] span = c.t().readSpan(d, d, c.w(), c.h(), horizontal);
            TreeSet<Integer> seen = readers.get(d);
            String where = c + (horizontal ? " column " : " row ") + d;
            if (seen.isEmpty()) {
                // only padding (faces-v1 beyond the image)
                assertNull(span, where + " reads no image pixel but the span is " + java.util.Arrays.toString(span));
                continue;
            }
            assertNotNull(span, where + " reads " + seen + " but the span is empty");
            assertTrue(span[0] <= seen.first() && seen.last() <= span[1], where + ": span "
                    + java.util.Arrays.toString(span) + " misses " + seen);
            worst = Math.max(worst, Math.max(seen.first() - span[0], span[1] - seen.last()));
        }
        return worst;
    }
}

package org.layerlens.engine.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.layerlens.engine.RandomModels;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.arch.ArchitectureSpec;
import org.layerlens.engine.arch.Architectures;
import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.Op;
import org.layerlens.engine.graph.ReceptiveField;
import org.layerlens.engine.graph.Value;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.ssd.HeadLayout;

/**
 * The receptive field a detection reports, against the network itself, for every registered
 * architecture (mb2-ssd-lite's symmetric padding and stride-2 inverted residuals, mb1's, faces-v1's
 * TensorFlow 'same' padding with its odd pixel at the bottom/right), on seeded random weights.
 *
 * <ol>
 * <li>The analytic field (forward composition per value, union where paths meet) equals an
 * independent backward walk over every path of the graph from each head cell to the input.</li>
 * <li>Brute force: change one pixel of the network input, run the network, and see which cells
 * of which heads change. Every changed cell's field must contain the pixel (the field is a bound),
 * and for cells at the start, middle and end of every head, the pixel on each edge of the field
 * (or the image border, where the field reaches into the padding) must change the cell while the
 * pixel just outside must not (the bound is tight).</li>
 * </ol>
 */
class ReceptiveFieldProbeTest {
    /** Added to all three channels of one input pixel (inputs are about -1..1). */
    private static final float DELTA = 1.0f;

    static Stream<ArchitectureSpec> architectures() {
        return Architectures.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void theFieldIsTheUnionOverEveryPathOfTheGraph(ArchitectureSpec spec) throws Exception {
        Model m = RandomModels.of(spec, 1);
        Graph g = m.graph();
        int s = m.inputSize();
        for (HeadLayout.Head h : m.layout().heads()) {
            for (int axis = 0; axis < 2; axis++) {
                int cells = axis == 0 ? h.rows() : h.cols();
                for (int i = 0; i < cells; i++) {
                    long[] want = new long[] {Long.MAX_VALUE, Long.MIN_VALUE};
                    for (String name : List.of("cls." + h.index(), "reg." + h.index())) {
                        long[] w = backward(g, g.outputs().get(name), i, i, axis, s);
                        want[0] = Math.min(want[0], w[0]);
                        want[1] = Math.max(want[1], w[1]);
                    }
                    long[] box = m.headField(h.index()).box(axis == 0 ? i : 0, axis == 0 ? 0 : i, s, s);
                    long[] got = axis == 0 ? new long[] {box[1], box[3]} : new long[] {box[0], box[2]};
                    if (global(m.headField(h.index()), axis)) {
                        // after a global pooling (squeeze-excite) every input pixel counts: both are the
                        // whole input, the walk merely keeps the local branch's reach into the padding
                        want = new long[] {Math.max(0, want[0]), Math.min(s - 1, want[1])};
                        got = new long[] {Math.max(0, got[0]), Math.min(s - 1, got[1])};
                        assertEquals(0, want[0], spec.name() + ": a global field covers the input");
                        assertEquals(s - 1, want[1], spec.name() + ": a global field covers the input");
                    }
                    assertEquals(want[0], got[0], spec.name() + " head " + h.index() + " axis " + axis + " cell " + i);
                    assertEquals(want[1], got[1], spec.name() + " head " + h.index() + " axis " + axis + " cell " + i);
                }
            }
            long[] f = m.headField(h.index()).box(0, 0, s, s);
            System.out.printf("%s head %d (%dx%d): field of cell (0,0) rows %d..%d, cols %d..%d (%d px), "
                    + "step %d px%n", spec.name(), h.index(), h.rows(), h.cols(), f[1], f[3], f[0], f[2],
                    f[2] - f[0] + 1, m.headField(h.index()).cols().jump());
        }
    }

    private static boolean global(ReceptiveField.Field f, int axis) {
        return axis == 0 ? f.rows().global() : f.cols().global();
    }

    /**
     * The input interval (unclipped) output indices {@code a..b} of {@code v} read along one axis,
     * over every path: a walk back through each op's window ({@code [a*s - pad, b*s - pad + (k-1)*d]}),
     * taking the extreme ends over all branches. A global pooling reads the whole input.
     */
    static long[] backward(Graph g, Value v, long a, long b, int axis, int size) {
        int p = g.producerOf(v);
        if (p < 0) {
            return new long[] {a, b};
        }
        Op op = g.ops().get(p);
        if (op instanceof Op.Conv c) {
            int k = axis == 0 ? c.kernelH() : c.kernelW();
            int st = axis == 0 ? c.strideH() : c.strideW();
            int pad = axis == 0 ? c.padding().top() : c.padding().left();
            long[] r = backward(g, c.input(), a * st - pad, b * st - pad + (long) (k - 1) * c.dilation(), axis, size);
            return c.residual() == null ? r : hull(r, backward(g, c.residual(), a, b, axis, size));
        }
        if (op instanceof Op.Pool pl) {
            int k = axis == 0 ? pl.kernelH() : pl.kernelW();
            int st = axis == 0 ? pl.strideH() : pl.strideW();
            int pad = axis == 0 ? pl.padding().top() : pl.padding().left();
            return backward(g, pl.input(), a * st - pad, b * st - pad + k - 1, axis, size);
        }
        if (op instanceof Op.Pad pd) {
            int pad = axis == 0 ? pd.padding().top() : pd.padding().left();
            return backward(g, pd.input(), a - pad, b - pad, axis, size);
        }
        if (op instanceof Op.GlobalAvgPool || op instanceof Op.Dense) {
            return new long[] {0, size - 1};
        }
        long[] r = null;
        for (Value in : op.inputs()) {
            long[] x = backward(g, in, a, b, axis, size);
            r = r == null ? x : hull(r, x);
        }
        return r;
    }

    private static long[] hull(long[] x, long[] y) {
        return new long[] {Math.min(x[0], y[0]), Math.max(x[1], y[1])};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void changingOnePixelChangesExactlyTheCellsWhoseFieldHoldsIt(ArchitectureSpec spec) throws Exception {
        Model m = RandomModels.of(spec, 2);
        Probe probe = new Probe(m, 3);
        int s = m.inputSize();
        // Tightness (each edge pixel reaches the cell) holds where every path is linear in the pixel
        // up to ReLU's kinks. A max pooling (VGG16-SSD, SqueezeNet-SSD) passes a change only if the
        // pixel wins its window, and squeeze-excite's hard sigmoid (MobileNetV3) saturates: there an
        // edge pixel may change nothing on one input, so those architectures are checked for the
        // bound alone (no pixel outside a field changes its cell; every changed cell holds the pixel).
        boolean tight = m.graph().ops().stream().noneMatch(op -> op instanceof Op.Pool pl && pl.max()
                || op instanceof Op.GlobalAvgPool);
        long[] readRows = m.receptiveFields().readable(true);
        long[] readCols = m.receptiveFields().readable(false);
        int edges = 0;
        List<String> unreached = new ArrayList<>();
        for (HeadLayout.Head h : m.layout().heads()) {
            for (int axis = 0; axis < 2; axis++) {
                int cells = axis == 0 ? h.rows() : h.cols();
                int other = (axis == 0 ? h.cols() : h.rows()) / 2;
                for (int i : new int[] {0, cells / 2, cells - 1}) {
                    int row = axis == 0 ? i : other;
                    int col = axis == 0 ? other : i;
                    long[] f = m.headField(h.index()).box(row, col, s, s);
                    long lo = axis == 0 ? f[1] : f[0];
                    long hi = axis == 0 ? f[3] : f[2];
                    // the probe line crosses the middle of the field on the other axis
                    int across = (int) Math.max(0, Math.min(s - 1, axis == 0 ? (f[0] + f[2]) / 2 : (f[1] + f[3]) / 2));
                    for (boolean start : new boolean[] {true, false}) {
                        long edge = start ? lo : hi;
                        long[] read = axis == 0 ? readRows : readCols;
                        long inside = Math.max(read[0], Math.min(read[1], edge));
                        long outside = start ? edge - 1 : edge + 1;
                        boolean reached = probe.changes(axis, inside, across, h.index(), row, col);
                        edges++;
                        if (!reached && tight) {
                            // how far inside the field the pixel must move to reach the cell
                            int gap = 1;
                            while (gap < 8 && !probe.changes(axis, inside + (start ? gap : -gap), across, h.index(),
                                    row, col)) {
                                gap++;
                            }
                            unreached.add(String.format("head %d cell (%d,%d) %s edge %d: first reached %d px inside",
                                    h.index(), row, col, (axis == 0 ? "row " : "col ") + (start ? "start" : "end"),
                                    edge, gap));
                        }
                        if (outside >= 0 && outside < s) {
                            assertTrue(!probe.changes(axis, outside, across, h.index(), row, col), spec.name()
                                    + ": pixel " + outside + " outside the field of head " + h.index() + " cell ("
                                    + row + "," + col + ") changed it");
                        }
                    }
                }
            }
        }
        // and a few pixels anywhere
        Random r = new Random(4);
        for (int k = 0; k < 6; k++) {
            probe.changes(0, r.nextInt(s), r.nextInt(s), 0, 0, 0);
        }
        System.out.printf("%s: %d passes with one pixel changed; every changed cell (%d in all) lies within its "
                + "field; %d field edges probed, %s%n", spec.name(), probe.passes(), probe.changedCells, edges,
                tight ? unreached.size() + " not reached: " + unreached : "bound only (max pooling / saturating "
                + "squeeze-excite: reaching an edge depends on the input)");
        assertEquals(List.of(), unreached, spec.name() + ": field edges the network does not reach");
    }

    /** Runs the network with one input pixel changed and checks every changed cell's field. */
    static final class Probe {
        final Model model;
        final float[] base;
        final Map<String, float[]> baseRaw;
        final LoadedImage img;
        final Map<Long, Map<String, float[]>> cache = new HashMap<>();
        long changedCells;

        Probe(Model m, long seed) {
            this.model = m;
            int s = m.inputSize();
            Random r = new Random(seed);
            base = new float[s * s * 3];
            for (int i = 0; i < base.length; i++) {
                base[i] = (float) (2 * r.nextDouble() - 1);
            }
            img = new LoadedImage(null, s, s, new byte[0]);
            baseRaw = m.detectInput(base, img).raw();
            // the same input twice gives the same bits (else "changed" would mean nothing)
            Map<String, float[]> again = m.detectInput(base, img).raw();
            baseRaw.forEach((k, v) -> assertTrue(java.util.Arrays.equals(v, again.get(k)), "pass is not repeatable: " + k));
        }

        int passes() {
            return cache.size();
        }

        /** Whether changing pixel (along {@code axis} at {@code at}, {@code across} on the other) changes the cell. */
        boolean changes(int axis, long at, long across, int head, int row, int col) {
            int s = model.inputSize();
            int y = (int) (axis == 0 ? at : across);
            int x = (int) (axis == 0 ? across : at);
            Map<String, float[]> raw = cache.computeIfAbsent((long) y * s + x, k -> run(y, x));
            return changed(raw, head, row, col);
        }

        private Map<String, float[]> run(int y, int x) {
            int s = model.inputSize();
            float[] in = base.clone();
            for (int ch = 0; ch < 3; ch++) {
                in[(y * s + x) * 3 + ch] += DELTA;
            }
            Map<String, float[]> raw = model.detectInput(in, img).raw();
            for (HeadLayout.Head h : model.layout().heads()) {
                for (int r = 0; r < h.rows(); r++) {
                    for (int c = 0; c < h.cols(); c++) {
                        if (changed(raw, h.index(), r, c)) {
                            changedCells++;
                            long[] f = model.headField(h.index()).box(r, c, s, s);
                            assertTrue(f[0] <= x && x <= f[2] && f[1] <= y && y <= f[3], model.spec().name()
                                    + ": pixel (" + x + "," + y + ") changed head " + h.index() + " cell (" + r + ","
                                    + c + ") whose field is " + java.util.Arrays.toString(f));
                        }
                    }
                }
            }
            return raw;
        }

        boolean changed(Map<String, float[]> raw, int head, int row, int col) {
            for (String name : List.of("cls." + head, "reg." + head)) {
                float[] a = raw.get(name);
                float[] b = baseRaw.get(name);
                int per = a.length / (model.layout().heads().get(head).rows() * model.layout().heads().get(head).cols());
                int at = (row * model.layout().heads().get(head).cols() + col) * per;
                for (int k = 0; k < per; k++) {
                    if (a[at + k] != b[at + k]) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}

package org.layerlens.engine.ssd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where each raw anchor comes from. Heads' maps are flattened channels-last, so anchor indices
 * run head by head, then row, column, and anchor within the cell: the order pytorch-ssd's
 * {@code permute(0, 2, 3, 1).view(-1, k)} and TensorFlow's reshape both give.
 */
public final class HeadLayout {
    /** One head: its feature map size, anchors per cell, and its first anchor's index. */
    public record Head(int index, int rows, int cols, int anchors, int first) {
        public int count() {
            return rows * cols * anchors;
        }
    }

    /** An anchor's origin: head, cell and anchor within the cell. */
    public record Origin(int head, int rows, int cols, int row, int col, int anchor) {
    }

    private final List<Head> heads;
    private final int total;

    public HeadLayout(List<Head> heads) {
        this.heads = List.copyOf(heads);
        int n = 0;
        for (Head h : heads) {
            n += h.count();
        }
        this.total = n;
    }

    /** From the graph's {@code reg.i} output shapes {@code [H, W, A * 4]}. */
    public static HeadLayout of(Map<String, int[]> regShapes) {
        List<Head> heads = new ArrayList<>();
        int first = 0;
        for (int i = 0; regShapes.containsKey("reg." + i); i++) {
            int[] d = regShapes.get("reg." + i);
            Head h = new Head(i, d[0], d[1], d[2] / 4, first);
            heads.add(h);
            first += h.count();
        }
        return new HeadLayout(heads);
    }

    public List<Head> heads() {
        return heads;
    }

    public int anchors() {
        return total;
    }

    public Origin locate(int anchorIndex) {
        if (anchorIndex < 0 || anchorIndex >= total) {
            throw new IndexOutOfBoundsException("anchor " + anchorIndex + " of " + total);
        }
        for (Head h : heads) {
            if (anchorIndex < h.first() + h.count()) {
                int k = anchorIndex - h.first();
                int cell = k / h.anchors();
                return new Origin(h.index(), h.rows(), h.cols(), cell / h.cols(), cell % h.cols(), k % h.anchors());
            }
        }
        throw new IllegalStateException("unreachable");
    }
}

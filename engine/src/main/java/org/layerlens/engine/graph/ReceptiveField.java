package org.layerlens.engine.graph;

import java.util.HashMap;
import java.util.Map;

/**
 * Receptive fields computed from the graph itself (kernel sizes, strides, paddings and dilations
 * of every op on the way from the input; no table per architecture). Per value and axis the field
 * of output index {@code i} is the input interval {@code [lo + i * jump, hi + i * jump]} (pixel
 * indices of the network input, inclusive, possibly beyond its edges where padding was read).
 * Where two paths meet (add, concat, multiply) the field is their union. A global pooling makes
 * the field the whole input (squeeze-excite blocks see everything).
 */
public final class ReceptiveField {
    /** One axis: field of index i is [lo + i * jump, hi + i * jump]; {@code global} covers the input. */
    public record Axis(long lo, long hi, long jump, boolean global) {
        public long size() {
            return hi - lo + 1;
        }

        public long[] interval(int i, int inputSize) {
            return global ? new long[] {0, inputSize - 1} : new long[] {lo + i * jump, hi + i * jump};
        }

        Axis through(int kernel, int stride, int padBefore, int dilation) {
            if (global) {
                return this;
            }
            long span = (long) (kernel - 1) * dilation;
            return new Axis(lo - padBefore * jump, hi + (span - padBefore) * jump, jump * stride, false);
        }

        Axis union(Axis o) {
            if (global || o.global) {
                return new Axis(0, 0, 1, true);
            }
            if (o.jump != jump) {
                // maps of different strides meet only in graphs we do not build; be conservative
                return new Axis(Math.min(lo, o.lo), Math.max(hi, o.hi), Math.max(jump, o.jump), false);
            }
            return new Axis(Math.min(lo, o.lo), Math.max(hi, o.hi), jump, false);
        }
    }

    /** Both axes of one value's field. */
    public record Field(Axis rows, Axis cols) {
        public long[] box(int row, int col, int inputH, int inputW) {
            long[] r = rows.interval(row, inputH);
            long[] c = cols.interval(col, inputW);
            return new long[] {c[0], r[0], c[1], r[1]};
        }
    }

    private final Map<Integer, Field> fields = new HashMap<>();
    /** Input pixels some op reads at all, per axis {lo, hi}: a strided unpadded first layer drops the last ones. */
    private long[] readRows;
    private long[] readCols;

    private ReceptiveField() {
    }

    public static ReceptiveField of(Graph g) {
        ReceptiveField rf = new ReceptiveField();
        Axis unit = new Axis(0, 0, 1, false);
        rf.fields.put(g.input().id(), new Field(unit, unit));
        for (Op op : g.ops()) {
            rf.fields.put(op.output().id(), rf.through(op));
        }
        rf.readRows = readExtent(g, true);
        rf.readCols = readExtent(g, false);
        return rf;
    }

    private Field through(Op op) {
        if (op instanceof Op.Conv c) {
            Field in = fields.get(c.input().id());
            Field f = new Field(in.rows().through(c.kernelH(), c.strideH(), c.padding().top(), c.dilation()),
                    in.cols().through(c.kernelW(), c.strideW(), c.padding().left(), c.dilation()));
            return c.residual() == null ? f : union(f, fields.get(c.residual().id()));
        }
        if (op instanceof Op.Pool p) {
            Field in = fields.get(p.input().id());
            return new Field(in.rows().through(p.kernelH(), p.strideH(), p.padding().top(), 1),
                    in.cols().through(p.kernelW(), p.strideW(), p.padding().left(), 1));
        }
        if (op instanceof Op.Pad p) {
            Field in = fields.get(p.input().id());
            return new Field(in.rows().through(1, 1, p.padding().top(), 1),
                    in.cols().through(1, 1, p.padding().left(), 1));
        }
        if (op instanceof Op.GlobalAvgPool || op instanceof Op.Dense) {
            Axis g = new Axis(0, 0, 1, true);
            return new Field(g, g);
        }
        Field f = null;
        for (Value v : op.inputs()) {
            Field in = fields.get(v.id());
            f = f == null ? in : union(f, in);
        }
        return f;
    }

    /** The field of a value that reads both {@code a}'s and {@code b}'s pixels. */
    public static Field union(Field a, Field b) {
        return new Field(a.rows().union(b.rows()), a.cols().union(b.cols()));
    }

    /**
     * The input pixels (rows or columns, inclusive) that any op reading the network input reads:
     * all of them, except where a strided convolution without padding stops before the last ones
     * (SqueezeNet's first 3x3 stride-2 layer never reads row and column 299 of 300). A field
     * reaching beyond them is clipped to them: those pixels can change nothing.
     */
    public long[] readable(boolean rows) {
        return (rows ? readRows : readCols).clone();
    }

    private static long[] readExtent(Graph g, boolean rows) {
        Value in = g.input();
        long size = rows ? in.height() : in.width();
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (Op op : g.ops()) {
            if (!op.inputs().contains(in)) {
                continue;
            }
            long a = 0;
            long b = size - 1;
            if (op instanceof Op.Conv c && c.input() == in) {
                int k = rows ? c.kernelH() : c.kernelW();
                int st = rows ? c.strideH() : c.strideW();
                int pad = rows ? c.padding().top() : c.padding().left();
                int out = rows ? c.output().height() : c.output().width();
                a = -pad;
                b = (long) (out - 1) * st - pad + (long) (k - 1) * c.dilation();
            } else if (op instanceof Op.Pool p && p.input() == in) {
                int k = rows ? p.kernelH() : p.kernelW();
                int st = rows ? p.strideH() : p.strideW();
                int pad = rows ? p.padding().top() : p.padding().left();
                int out = rows ? p.output().height() : p.output().width();
                a = -pad;
                b = (long) (out - 1) * st - pad + k - 1;
            }
            lo = Math.min(lo, Math.max(0, a));
            hi = Math.max(hi, Math.min(size - 1, b));
        }
        return lo > hi ? new long[] {0, size - 1} : new long[] {lo, hi};
    }

    public Field of(Value v) {
        return fields.get(v.id());
    }
}

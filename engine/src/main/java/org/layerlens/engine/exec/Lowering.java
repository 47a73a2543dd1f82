package org.layerlens.engine.exec;

import java.util.ArrayList;
import java.util.List;

import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.Op;
import org.layerlens.engine.graph.Padding;
import org.layerlens.engine.graph.Value;

/**
 * Rewrites ops the kernels cannot run as they are: a dilated convolution becomes one with a spread
 * kernel; a convolution or pooling with padding that is
 * neither symmetric nor TensorFlow's 'same' (a ceil-mode pool, a TFLite PAD folded into a conv)
 * becomes an explicit {@link Op.Pad} followed by the unpadded op. Values keep their ids; the new
 * intermediate values get ids after the graph's.
 */
final class Lowering {
    private Lowering() {
    }

    static Graph lower(Graph g) {
        List<Op> out = new ArrayList<>();
        int[] next = {g.valueCount()};
        boolean changed = false;
        for (Op op : g.ops()) {
            if (op instanceof Op.Conv d && d.dilation() > 1) {
                op = undilated(d);
                changed = true;
            }
            if (op instanceof Op.Conv c && !kernelPads(c.padding(), c.input(), c.kernelH(), c.kernelW(), c.strideH(),
                    c.strideW(), c.dilation())) {
                Value padded = padded(c.input(), c.padding(), next);
                out.add(new Op.Pad(c.path(), c.input(), padded, c.padding(), 0f));
                out.add(new Op.Conv(c.path(), padded, c.output(), c.in(), c.out(), c.kernelH(), c.kernelW(),
                        c.strideH(), c.strideW(), Padding.NONE, c.dilation(), c.groups(), c.weight(), c.bias(),
                        c.activation(), c.residual()));
                changed = true;
            } else if (op instanceof Op.Pool p && !p.max() && !(p.padding().symmetric()
                    || kernelPads(p.padding(), p.input(), p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), 1))) {
                // an explicit zero border would be counted by the average: only the kernels can leave it out
                throw new IllegalArgumentException(p.path() + ": average pooling with padding " + p.padding()
                        + " (neither symmetric nor TensorFlow's 'same') is not supported");
            } else if (op instanceof Op.Pool p && p.max() && !(p.padding().symmetric() || p.padding().none())) {
                Value padded = padded(p.input(), p.padding(), next);
                out.add(new Op.Pad(p.path(), p.input(), padded, p.padding(),
                        p.max() ? Float.NEGATIVE_INFINITY : 0f));
                out.add(new Op.Pool(p.path(), padded, p.output(), p.max(), p.kernelH(), p.kernelW(), p.strideH(),
                        p.strideW(), Padding.NONE));
                changed = true;
            } else {
                out.add(op);
            }
        }
        return changed ? g.withOps(out, g.modules(), next[0]) : g;
    }

    /**
     * A dilated convolution as an ordinary one whose kernel has the taps spread out and zeros
     * between them (ND4J's oneDNN convolution refuses dilation in NHWC). The zeros add nothing
     * (x * 0 + s is s), so the result is the same sum; the cost grows with the spread kernel's area.
     */
    static Op.Conv undilated(Op.Conv c) {
        int d = c.dilation();
        int kh = d * (c.kernelH() - 1) + 1;
        int kw = d * (c.kernelW() - 1) + 1;
        int per = c.in() / c.groups();
        float[] w = c.weight();
        float[] spread = new float[c.out() * per * kh * kw];
        for (int o = 0; o < c.out(); o++) {
            for (int i = 0; i < per; i++) {
                for (int y = 0; y < c.kernelH(); y++) {
                    for (int x = 0; x < c.kernelW(); x++) {
                        spread[((o * per + i) * kh + y * d) * kw + x * d] =
                                w[((o * per + i) * c.kernelH() + y) * c.kernelW() + x];
                    }
                }
            }
        }
        return new Op.Conv(c.path(), c.input(), c.output(), c.in(), c.out(), kh, kw, c.strideH(), c.strideW(),
                c.padding(), 1, c.groups(), spread, c.bias(), c.activation(), c.residual());
    }

    /** Whether the conv kernels pad this way themselves: symmetric, or exactly TensorFlow's 'same'. */
    static boolean kernelPads(Padding p, Value in, int kernelH, int kernelW, int strideH, int strideW, int dilation) {
        return p.symmetric() || p.equals(Padding.same(in.height(), in.width(), kernelH, kernelW, strideH, strideW,
                dilation));
    }

    private static Value padded(Value in, Padding p, int[] next) {
        return Value.of(next[0]++, in.height() + p.top() + p.bottom(), in.width() + p.left() + p.right(),
                in.channels());
    }
}

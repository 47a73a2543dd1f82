package org.layerlens.engine.exec;

import java.util.ArrayList;
import java.util.List;

import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.Op;
import org.layerlens.engine.graph.Padding;
import org.layerlens.engine.graph.Value;

/**
 * Rewrites ops the kernels cannot run as they are: a convolution or pooling with padding that is
 * neither symmetric nor TensorFlow's 'same' (a ceil-mode pool, a TFLite PAD folded into a conv),
 * and any padded dilated convolution (its kernel reads a padded map, see Kernels), becomes an
 * explicit {@link Op.Pad} followed by the unpadded op. Values keep their ids; the new
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
            if (op instanceof Op.Conv c && (!kernelPads(c.padding(), c.input(), c.kernelH(), c.kernelW(), c.strideH(),
                    c.strideW(), c.dilation()) || c.dilation() > 1 && !c.padding().none())) {
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

package org.layerlens.engine.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.layerlens.engine.graph.Activation;
import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.Op;
import org.layerlens.engine.graph.Value;

/**
 * The fast and inspect passes' one-time transformation of a traced graph: a batch norm after a convolution is
 * folded into the convolution's weights and bias; an activation is fused into the convolution or
 * batch norm before it; a residual add is fused into the convolution that produces one of its
 * inputs. Each rule applies only where the intermediate value has no other reader, so the fused
 * graph computes exactly the same outputs. New ops and arrays are made; the traced graph and the
 * module tree are not touched.
 */
final class Fusion {
    private Fusion() {
    }

    static Graph fuse(Graph g) {
        List<Op> ops = new ArrayList<>(g.ops());
        boolean changed;
        do {
            changed = false;
            int[] readers = readers(g, ops);
            Map<Integer, Integer> producer = new HashMap<>();
            for (int i = 0; i < ops.size(); i++) {
                producer.put(ops.get(i).output().id(), i);
            }
            for (int i = 0; i < ops.size() && !changed; i++) {
                Op op = ops.get(i);
                for (Value in : absorbable(op)) {
                    Integer pi = producer.get(in.id());
                    Op prev = pi == null ? null : ops.get(pi);
                    if (prev == null || readers[prev.output().id()] != 1 || g.outputs().containsValue(prev.output())) {
                        continue;
                    }
                    Op merged = merge(prev, op);
                    if (merged != null && readsOnlyEarlier(merged, pi, producer)) {
                        ops.set(pi, merged);
                        ops.remove(i);
                        changed = true;
                        break;
                    }
                }
            }
        } while (changed);
        return g.withOps(ops, g.modules(), g.valueCount());
    }

    /** Whether every input of an op placed at {@code at} is computed before it (a fused residual may not be). */
    private static boolean readsOnlyEarlier(Op op, int at, Map<Integer, Integer> producer) {
        for (Value v : op.inputs()) {
            Integer p = producer.get(v.id());
            if (p != null && p >= at) {
                return false;
            }
        }
        return true;
    }

    /** The inputs through which this op could absorb the op producing them. */
    private static List<Value> absorbable(Op op) {
        if (op instanceof Op.Affine || op instanceof Op.Act || op instanceof Op.Add) {
            return op.inputs();
        }
        return List.of();
    }

    /** {@code prev} followed by {@code next} as one op, or null when no rule applies. */
    private static Op merge(Op prev, Op next) {
        if (prev instanceof Op.Conv c && c.activation() == Activation.NONE && c.residual() == null) {
            if (next instanceof Op.Affine bn && bn.activation() == Activation.NONE) {
                return fold(c, bn);
            }
            if (next instanceof Op.Act a) {
                return c.with(c.weight(), c.bias(), a.activation(), null, a.output());
            }
        }
        if (prev instanceof Op.Conv c && c.residual() == null && next instanceof Op.Add add
                && c.activation() == Activation.NONE) {
            Value other = add.a().id() == c.output().id() ? add.b() : add.a();
            if (other.id() != c.output().id()) {
                return c.with(c.weight(), c.bias(), add.activation(), other, add.output());
            }
        }
        if (prev instanceof Op.Affine bn && bn.activation() == Activation.NONE && next instanceof Op.Act a) {
            return new Op.Affine(bn.path(), bn.input(), a.output(), bn.scale(), bn.shift(), a.activation());
        }
        return null;
    }

    /** conv then per-channel {@code x * s + t}: weights scaled per output channel, bias {@code b * s + t}. */
    static Op.Conv fold(Op.Conv c, Op.Affine bn) {
        return c.folded(bn);
    }

    private static int[] readers(Graph g, List<Op> ops) {
        int[] n = new int[g.valueCount()];
        for (Op op : ops) {
            for (Value v : op.inputs()) {
                n[v.id()]++;
            }
        }
        for (Value v : g.outputs().values()) {
            n[v.id()]++;
        }
        return n;
    }
}

package org.layerlens.engine.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.layerlens.engine.api.Model;
import org.layerlens.engine.graph.Activation;
import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.Op;
import org.layerlens.engine.graph.Value;

/**
 * The int8 what-if: a model's traced graph rewritten the way an int8 deployment runs it, then run
 * by the same executor as any graph.
 * <ol>
 * <li>Fusion as an int8 kernel library fuses: a batch norm after a convolution is folded into its
 * weights and bias; a ReLU/ReLU6 after a convolution or batch norm joins that op. (Residual adds
 * stay separate ops: they are quantised ops of their own in TFLite and PyTorch.)</li>
 * <li>Weights (of the folded convolutions and dense layers) become their int8 quantise-dequantise
 * copies: symmetric, grid {@code [-127, 127]}, scale {@code max|w| / 127} per tensor or per output
 * channel, rounding half to even. Biases stay float (int32 in a deployment, where their rounding
 * is far below the output's grid).</li>
 * <li>Every op output that a module reports (convolutions, batch norms and activations left alone,
 * adds, pools, concatenations) goes through a {@link Op.FakeQuant} on its uint8 grid from the
 * {@link Calibration}. Reshapes and pads move values without changing them and are left out;
 * a tensor without a range in the table stays float (named in the notes).</li>
 * </ol>
 * Modules whose output no longer exists (the convolution and batch norm inside a fused op) have no
 * counterpart, like the folded convolutions of an ONNX export.
 */
public final class Int8Simulation {
    /** How weights are quantised. */
    public enum Weights {
        PER_TENSOR("int8-per-tensor"), PER_CHANNEL("int8-per-channel");

        public final String key;

        Weights(String key) {
            this.key = key;
        }

        /** {@code int8-per-tensor} / {@code int8-per-channel}, or null for anything else. */
        public static Weights parse(String s) {
            for (Weights w : values()) {
                if (w.key.equals(s)) {
                    return w;
                }
            }
            return null;
        }
    }

    private Int8Simulation() {
    }

    /** The simulated int8 version of {@code m}; {@link IllegalArgumentException} when the table has no range for any of its tensors. */
    public static Model apply(Model m, Calibration cal, Weights weights) {
        Graph g = m.graph();
        List<Op> ops = fuse(g);
        Map<Integer, String> pathOfValue = new HashMap<>();
        List<String> otherShapes = new ArrayList<>();
        for (Graph.ModuleRun r : g.modules()) {
            if (!r.path().isEmpty()) {
                pathOfValue.putIfAbsent(r.output().id(), r.path());
                List<Integer> there = cal.shapes().get(r.path());
                List<Integer> here = java.util.stream.IntStream.of(r.output().chw()).boxed().toList();
                if (there != null && !there.equals(here) && cal.range(r.path()) != null) {
                    otherShapes.add(r.path() + " is " + there + " there, " + here + " in " + m.name());
                }
            }
        }
        if (!otherShapes.isEmpty()) {
            // the same module paths, other tensors: ranges of another network, which would
            // quantise this one's activations on a grid that does not fit them
            throw new IllegalArgumentException(cal.source() + ": ranges of another model: " + otherShapes.get(0)
                    + (otherShapes.size() > 1 ? " (and " + (otherShapes.size() - 1) + " more modules)" : ""));
        }
        int next = g.valueCount();
        List<Op> out = new ArrayList<>();
        List<String> unquantised = new ArrayList<>();
        int quantised = 0;
        for (Op op : ops) {
            op = withQuantisedWeights(op, weights);
            if (op instanceof Op.Reshape || op instanceof Op.Pad) {
                out.add(op);
                continue;
            }
            Value v = op.output();
            String path = pathOfValue.get(v.id());
            Calibration.Range r = path == null ? null : cal.range(path);
            if (r == null) {
                unquantised.add(path == null ? op.path() + " (" + v + ")" : path);
                out.add(op);
                continue;
            }
            // the op writes a new value; the fake quantisation writes the old one, so every reader,
            // module and named output sees the quantised tensor without being rewired
            Value raw = Value.of(next++, v.dims());
            out.add(withOutput(op, raw));
            out.add(new Op.FakeQuant(op.path(), raw, v, r.scale(), r.zeroPoint(), 0, 255));
            quantised++;
        }
        if (quantised == 0) {
            throw new IllegalArgumentException("the calibration table " + cal.source() + " has no range for any module of "
                    + m.name() + " (made for another model?)");
        }
        Set<Integer> produced = new HashSet<>();
        for (Op op : out) {
            produced.add(op.output().id());
        }
        Set<String> gone = new HashSet<>(m.notComparable());
        for (Graph.ModuleRun r : g.modules()) {
            if (!produced.contains(r.output().id()) && r.output().id() != g.input().id()) {
                gone.add(r.path());
            }
        }
        Graph q = new Graph(g.input(), out, g.modules(), new LinkedHashMap<>(g.outputs()), next);
        List<String> notes = new ArrayList<>();
        notes.add(String.format(java.util.Locale.ROOT, "int8 what-if: weights %s, %d activations quantised to uint8 "
                + "(%s ranges from %s)", weights == Weights.PER_CHANNEL ? "per output channel" : "per tensor",
                quantised, cal.choice().key(), cal.source()));
        if (!unquantised.isEmpty()) {
            notes.add("warning: no calibration range, left float: " + String.join(", ", unquantised.subList(0,
                    Math.min(8, unquantised.size()))) + (unquantised.size() > 8 ? ", ..." : ""));
        }
        return m.transformed(q, m.name() + " (" + weights.key + ")", gone, notes);
    }

    /** Batch norm folded into the convolution before it; activations joined to the convolution or batch norm before them. */
    static List<Op> fuse(Graph g) {
        List<Op> ops = new ArrayList<>(g.ops());
        int[] readers = g.consumerCounts();
        Map<Integer, Integer> at = new HashMap<>();
        List<Op> out = new ArrayList<>();
        for (Op op : ops) {
            Op prev = null;
            int pi = -1;
            if (op instanceof Op.Affine || op instanceof Op.Act) {
                Value in = op.inputs().get(0);
                Integer i = at.get(in.id());
                if (i != null && readers[in.id()] == 1 && !g.outputs().containsValue(in)) {
                    pi = i;
                    prev = out.get(i);
                }
            }
            Op merged = prev == null ? null : merge(prev, op);
            if (merged != null) {
                out.set(pi, merged);
                at.remove(prev.output().id());
                at.put(merged.output().id(), pi);
            } else {
                at.put(op.output().id(), out.size());
                out.add(op);
            }
        }
        return out;
    }

    private static Op merge(Op prev, Op next) {
        if (prev instanceof Op.Conv c && c.activation() == Activation.NONE && c.residual() == null) {
            if (next instanceof Op.Affine bn && bn.activation() == Activation.NONE) {
                return c.folded(bn);
            }
            if (next instanceof Op.Act a) {
                return c.with(c.weight(), c.bias(), a.activation(), null, a.output());
            }
        }
        if (prev instanceof Op.Affine bn && bn.activation() == Activation.NONE && next instanceof Op.Act a) {
            return new Op.Affine(bn.path(), bn.input(), a.output(), bn.scale(), bn.shift(), a.activation());
        }
        return null;
    }

    private static Op withQuantisedWeights(Op op, Weights mode) {
        if (op instanceof Op.Conv c) {
            return c.with(quantise(c.weight(), c.out(), mode), c.bias(), c.activation(), c.residual(), c.output());
        }
        if (op instanceof Op.Dense d) {
            return new Op.Dense(d.path(), d.input(), d.output(), quantise(d.weight(), d.output().channels(), mode),
                    d.bias(), d.activation());
        }
        return op;
    }

    /**
     * Symmetric int8 quantise-dequantise of weights laid out {@code [out, ...]}: per output channel
     * or over the whole tensor, {@code s = max|w| / 127}, {@code rint(w / s)} clamped to +-127,
     * times {@code s}; all in float, as the PyTorch reference does it.
     */
    static float[] quantise(float[] w, int outChannels, Weights mode) {
        float[] q = new float[w.length];
        int per = w.length / outChannels;
        int groups = mode == Weights.PER_CHANNEL ? outChannels : 1;
        int size = mode == Weights.PER_CHANNEL ? per : w.length;
        for (int g = 0; g < groups; g++) {
            float max = 0;
            for (int i = g * size; i < (g + 1) * size; i++) {
                max = Math.max(max, Math.abs(w[i]));
            }
            float s = max / 127f;
            for (int i = g * size; i < (g + 1) * size; i++) {
                q[i] = s == 0 ? 0 : (float) Math.max(-127, Math.min(127, Math.rint(w[i] / s))) * s;
            }
        }
        return q;
    }

    /** The same op writing another value. */
    static Op withOutput(Op op, Value o) {
        if (op instanceof Op.Conv c) {
            return c.with(c.weight(), c.bias(), c.activation(), c.residual(), o);
        }
        if (op instanceof Op.Affine a) {
            return new Op.Affine(a.path(), a.input(), o, a.scale(), a.shift(), a.activation());
        }
        if (op instanceof Op.Act a) {
            return new Op.Act(a.path(), a.input(), o, a.activation());
        }
        if (op instanceof Op.Add a) {
            return new Op.Add(a.path(), a.a(), a.b(), o, a.activation());
        }
        if (op instanceof Op.Mul m) {
            return new Op.Mul(m.path(), m.a(), m.b(), o);
        }
        if (op instanceof Op.Concat c) {
            return new Op.Concat(c.path(), c.parts(), o, c.lastAxis());
        }
        if (op instanceof Op.Pool p) {
            return new Op.Pool(p.path(), p.input(), o, p.max(), p.kernelH(), p.kernelW(), p.strideH(), p.strideW(),
                    p.padding());
        }
        if (op instanceof Op.GlobalAvgPool p) {
            return new Op.GlobalAvgPool(p.path(), p.input(), o);
        }
        if (op instanceof Op.Softmax s) {
            return new Op.Softmax(s.path(), s.input(), o);
        }
        if (op instanceof Op.Dense d) {
            return new Op.Dense(d.path(), d.input(), o, d.weight(), d.bias(), d.activation());
        }
        if (op instanceof Op.FakeQuant f) {
            return new Op.FakeQuant(f.path(), f.input(), o, f.scale(), f.zeroPoint(), f.qmin(), f.qmax());
        }
        throw new IllegalArgumentException("the int8 what-if cannot re-target " + op.getClass().getSimpleName()
                + " at " + op.path());
    }
}

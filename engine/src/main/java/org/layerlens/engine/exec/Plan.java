package org.layerlens.engine.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.Op;
import org.layerlens.engine.graph.Value;

/**
 * Which buffer each value of a program lives in. A buffer is free again after the last reader of
 * what it holds and is reused by the next value (the smallest free buffer that fits, else the
 * largest, grown); an activation, batch norm or add whose input dies with it writes over that
 * input; a reshape shares its input's buffer; the graph's outputs (the heads) live until the end.
 * Inspect (over the fused graph it runs): every value is kept in a buffer of its own, except the
 * outputs of cheap elementwise ops left unfused ({@link Kernels#recomputable}), which are computed again from their kept input when asked
 * for: they would double the memory a pass writes, and writing it costs more than computing it.
 * Inspect-all: every value in a buffer of its own (analyses read them all).
 */
record Plan(int[] slotOf, long[] slotSizes, boolean[] kept) {

    static Plan of(Graph g, Mode mode) {
        int[] slotOf = new int[g.valueCount()];
        Arrays.fill(slotOf, -1);
        List<Long> sizes = new ArrayList<>();
        List<Integer> until = new ArrayList<>();
        int[] lastUse = lastUses(g);
        boolean[] kept = new boolean[g.valueCount()];
        kept[g.input().id()] = mode.inspects();
        slotOf[g.input().id()] = 0;
        sizes.add(g.input().elements());
        until.add(mode.inspects() ? Integer.MAX_VALUE : lastUse[g.input().id()]);
        List<Op> ops = g.ops();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            Value out = op.output();
            int need = Math.max(lastUse[out.id()], i);
            int s;
            if (op instanceof Op.Reshape r) {
                s = slotOf[r.input().id()];
                until.set(s, Math.max(until.get(s), need));
                kept[out.id()] = kept[r.input().id()];
            } else if (mode == Mode.INSPECT_ALL || mode == Mode.INSPECT && !Kernels.recomputable(op)) {
                s = sizes.size();
                sizes.add(out.elements());
                until.add(Integer.MAX_VALUE);
                kept[out.id()] = true;
            } else {
                Value over = overwritable(op);
                if (over != null && until.get(slotOf[over.id()]) == i) {
                    s = slotOf[over.id()];
                } else {
                    s = reuse(sizes, until, i, out.elements());
                }
                until.set(s, need);
            }
            slotOf[out.id()] = s;
        }
        long[] sz = new long[sizes.size()];
        for (int i = 0; i < sz.length; i++) {
            sz[i] = sizes.get(i);
        }
        return new Plan(slotOf, sz, kept);
    }

    /** For each value, the index of the last op reading it; the graph's outputs: past the end. */
    private static int[] lastUses(Graph g) {
        int[] last = new int[g.valueCount()];
        Arrays.fill(last, -1);
        for (int i = 0; i < g.ops().size(); i++) {
            for (Value v : g.ops().get(i).inputs()) {
                last[v.id()] = i;
            }
        }
        for (Value v : g.outputs().values()) {
            last[v.id()] = Integer.MAX_VALUE;
        }
        return last;
    }

    /** The input an op may overwrite with its output (elementwise ops on equal shapes). */
    private static Value overwritable(Op op) {
        if (op instanceof Op.Act a) {
            return a.input();
        }
        if (op instanceof Op.Affine a) {
            return a.input();
        }
        if (op instanceof Op.Add a) {
            return a.a();
        }
        return null;
    }

    /** A slot free before op {@code i} (smallest that fits, else the largest, grown), or a new one. */
    private static int reuse(List<Long> sizes, List<Integer> until, int i, long need) {
        int fit = -1;
        int largest = -1;
        for (int s = 0; s < sizes.size(); s++) {
            if (until.get(s) >= i) {
                continue;
            }
            if (sizes.get(s) >= need && (fit < 0 || sizes.get(s) < sizes.get(fit))) {
                fit = s;
            }
            if (largest < 0 || sizes.get(s) > sizes.get(largest)) {
                largest = s;
            }
        }
        if (fit >= 0) {
            return fit;
        }
        if (largest >= 0) {
            sizes.set(largest, need);
            return largest;
        }
        sizes.add(need);
        until.add(i);
        return sizes.size() - 1;
    }
}

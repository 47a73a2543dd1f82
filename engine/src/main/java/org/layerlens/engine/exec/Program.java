package org.layerlens.engine.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.BooleanSupplier;

import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.Op;
import org.layerlens.engine.graph.Value;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A graph compiled for one mode: its ops as kernels (weights converted once), the buffer plan,
 * and when each module's output is ready. Immutable and shared by every run on every thread; the
 * mutable part of a run is an {@link Arena} (buffers and the kernels bound to them), taken from
 * the program's pool and given back. A cancelled run stops between two ops; its arena goes back
 * to the pool as it is, since the next run writes every buffer anew before reading it and the
 * bound ops hold nothing from one run to the next.
 */
final class Program implements AutoCloseable {
    /** Receives each module's output as soon as it exists (children before parents). */
    interface Listener {
        void onModule(Graph.ModuleRun run, long nanos, boolean fused);
    }

    private final Graph graph;
    private final Mode mode;
    private final Kernel[] kernels;
    private final Plan plan;
    private final Value[] values;
    /** Module runs whose output is ready after op i (index i + 1; index 0: before any op). */
    private final List<List<Graph.ModuleRun>> ready;
    /** For each module run, the ops it owns (its own and its descendants'), to sum their time. */
    private final Map<Graph.ModuleRun, int[]> owned = new HashMap<>();
    /** Modules whose ops all went into another module's op (a folded batch norm, a fused activation). */
    private final Set<Graph.ModuleRun> fusedAway = new HashSet<>();
    private final ConcurrentLinkedDeque<Arena> idle = new ConcurrentLinkedDeque<>();
    /**
     * For values the plan does not keep: the op of the unfused graph that computes them from their
     * inputs (kept, or themselves computed again first).
     */
    private final Map<Integer, Op> recompute = new HashMap<>();
    /** The model holds NaN or infinite parameters: recomputed values let NaN through as its kernels do. */
    private final boolean keepNaN;
    /** The recomputed ops' kernels (weights in their layout), made on first read and kept with the program. */
    private final Map<Op, Kernel> recomputeKernels = new ConcurrentHashMap<>();
    private final int maxIdle;

    /** A program of {@code mode} over {@code compiled}: the graph that mode runs, compiled (shared with other modes that run it). */
    Program(Compiled compiled, Mode mode) {
        Graph lowered = compiled.lowered();
        Graph g = compiled.graph();
        this.graph = g;
        this.mode = mode;
        this.kernels = compiled.kernels();
        this.keepNaN = compiled.keepNaN();
        this.plan = Plan.of(g, mode);
        this.values = new Value[g.valueCount()];
        values[g.input().id()] = g.input();
        for (Op op : lowered.ops()) {
            values[op.output().id()] = op.output();
        }
        if (mode == Mode.INSPECT) {
            for (Op op : lowered.ops()) {
                if (!plan.kept()[op.output().id()]) {
                    recompute.put(op.output().id(), op);
                }
            }
        }
        this.ready = new ArrayList<>();
        for (int i = 0; i <= kernels.length; i++) {
            ready.add(new ArrayList<>());
        }
        if (mode.inspects()) {
            int[] readyAt = readyAt(lowered, g);
            for (Graph.ModuleRun m : g.modules()) {
                if (values[m.output().id()] != null) {
                    // children before parents: a parent waits for its last child's op too
                    int at = readyAt[m.output().id()];
                    for (Graph.ModuleRun c : g.modules()) {
                        if (values[c.output().id()] != null && g.style().within(c.path(), m.path())) {
                            at = Math.max(at, readyAt[c.output().id()]);
                        }
                    }
                    ready.get(at).add(m);
                    owned.put(m, ownedOps(g, m.path()));
                    if (owned.get(m).length == 0 && ownedOps(lowered, m.path()).length > 0) {
                        fusedAway.add(m);
                    }
                }
            }
        }
        // idle arenas kept for the next run: one per core for fast passes (folders run in parallel);
        // two inspect arenas (the window's pass and the next) and two inspect-all ones (a compare's A
        // and B: with one kept, every compare made a 147 MB arena anew and first touched its pages,
        // 154-160 -> 186 ms at one thread)
        this.maxIdle = mode == Mode.FAST ? Math.max(2, Runtime.getRuntime().availableProcessors()) : 2;
    }

    /**
     * For each value, the number of ops of {@code g} after which it can be read: its producer's
     * index + 1, or for a value fused away (a convolution's own output, its batch norm's), that of
     * the first value of {@code g} computed from it: a module fused into the op that follows it is
     * ready, and its time known, when that op has run.
     */
    private static int[] readyAt(Graph lowered, Graph g) {
        int[] at = new int[lowered.valueCount()];
        Arrays.fill(at, Integer.MAX_VALUE);
        at[g.input().id()] = 0;
        for (int i = 0; i < g.ops().size(); i++) {
            at[g.ops().get(i).output().id()] = i + 1;
        }
        // fused-away values, last first: each takes the earliest of its readers
        List<Op> ops = lowered.ops();
        for (int i = ops.size() - 1; i >= 0; i--) {
            Op op = ops.get(i);
            for (Value in : op.inputs()) {
                if (g.producerOf(in) < 0 && in.id() != g.input().id()) {
                    at[in.id()] = Math.min(at[in.id()], at[op.output().id()]);
                }
            }
        }
        for (int i = 0; i < at.length; i++) {
            if (at[i] == Integer.MAX_VALUE) {
                at[i] = g.ops().size();
            }
        }
        return at;
    }

    private static int[] ownedOps(Graph g, String path) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < g.ops().size(); i++) {
            String p = g.ops().get(i).path();
            if (g.style().within(p, path)) {
                l.add(i);
            }
        }
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    Graph graph() {
        return graph;
    }

    Mode mode() {
        return mode;
    }

    Arena acquire() {
        Arena a = idle.pollFirst();
        return a != null ? a : new Arena(plan, values, kernels);
    }

    void release(Arena a) {
        if (idle.size() < maxIdle) {
            idle.addFirst(a);
        } else {
            a.close();
        }
    }

    /** Runs every op on {@code arena}, whose input is already written; stops at a module boundary if cancelled. */
    void run(Arena arena, Listener listener, BooleanSupplier cancelled) {
        Nd4jRuntime.applyToCallingThread();
        long[] nanos = listener == null ? null : new long[kernels.length];
        if (listener != null) {
            fire(0, listener, nanos);
        }
        for (int i = 0; i < kernels.length; i++) {
            if (cancelled != null && cancelled.getAsBoolean()) {
                throw new CancelledException();
            }
            long t0 = System.nanoTime();
            arena.run(i);
            if (listener != null) {
                nanos[i] = System.nanoTime() - t0;
                fire(i + 1, listener, nanos);
            }
        }
    }

    private void fire(int at, Listener listener, long[] nanos) {
        for (Graph.ModuleRun m : ready.get(at)) {
            long t = 0;
            for (int op : owned.get(m)) {
                t += nanos[op];
            }
            listener.onModule(m, t, fusedAway.contains(m));
        }
    }

    /**
     * A value of a finished inspect pass as floats (H, W, C): read from its buffer when the plan
     * kept it, else computed again from kept inputs by its op of the unfused graph (a convolution's
     * own output, its batch norm's: not the pass's folded arithmetic, which never produced them).
     */
    float[] read(Arena a, Value v) {
        float[] out = new float[(int) v.elements()];
        read(a, v, out);
        return out;
    }

    /** The same into {@code dst} (at least {@code v.elements()} long): a kept value is one block copy. */
    void read(Arena a, Value v, float[] dst) {
        int n = (int) v.elements();
        if (dst.length < n) {
            throw new IllegalArgumentException(v + " has " + n + " values, the buffer " + dst.length);
        }
        try (ValueView w = view(a, v)) {
            w.values().asFloatBuffer().get(dst, 0, n);
        }
    }

    /** A value's elements in native memory: where they lie when kept ({@link Arena#view}), else computed again. */
    ValueView view(Arena a, Value v) {
        if (plan.kept()[v.id()]) {
            return new ValueView(a.view(v), null);
        }
        INDArray m = materialize(a, v);
        return new ValueView(Arena.view(m.data(), v), m);
    }

    /**
     * A fresh [rows, C] array holding a value the plan did not keep (the caller closes it): its op
     * of the unfused graph run on its inputs, themselves computed again first where not kept.
     */
    private INDArray materialize(Arena a, Value v) {
        Nd4jRuntime.applyToCallingThread(); // readers may be threads that never ran a pass
        Op op = recompute.get(v.id());
        if (op == null) {
            throw new IllegalStateException(v + " was neither kept nor can be recomputed");
        }
        if (op instanceof Op.Reshape r) {
            // the same elements as its input: that input computed again, or a copy of it
            Value in = r.input();
            return plan.kept()[in.id()] ? a.matrix(in).dup('c') : materialize(a, in);
        }
        Map<Value, INDArray> arrays = new LinkedHashMap<>();
        List<INDArray> made = new ArrayList<>();
        try {
            for (Value in : op.inputs()) {
                if (!arrays.containsKey(in)) {
                    INDArray x = plan.kept()[in.id()] ? a.matrix(in) : materialize(a, in);
                    if (!plan.kept()[in.id()]) {
                        made.add(x);
                    }
                    arrays.put(in, x);
                }
            }
            INDArray z = Nd4j.createUninitialized(org.nd4j.linalg.api.buffer.DataType.FLOAT,
                    Arena.matrixShape(v), 'c');
            arrays.put(v, z);
            try {
                // the op's kernel, as a pass runs it, on views of these arrays shaped as its values
                recomputeKernels.computeIfAbsent(op, o -> Kernels.of(o, keepNaN))
                        .bind(Arena.over(values.length, arrays)).run();
            } catch (RuntimeException | Error e) {
                z.close();
                throw e;
            }
            return z;
        } finally {
            for (INDArray x : made) {
                x.close();
            }
        }
    }

    /** Native bytes one arena of this program holds. */
    long arenaBytes() {
        long n = 0;
        for (long s : plan.slotSizes()) {
            n += 4 * Math.max(1, s);
        }
        return n;
    }

    @Override
    public void close() {
        Arena a;
        while ((a = idle.pollFirst()) != null) {
            a.close();
        }
        // their weights' native arrays are freed with them by ND4J's deallocator
        recomputeKernels.clear();
    }
}

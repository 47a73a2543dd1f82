package org.layerlens.engine.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        void onModule(Graph.ModuleRun run, long nanos);
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
    private final ConcurrentLinkedDeque<Arena> idle = new ConcurrentLinkedDeque<>();
    /** For values the plan does not keep: the elementwise op that computes them from their input. */
    private final Map<Integer, Op> recompute = new HashMap<>();
    private final Map<Integer, Kernels.Elementwise> recomputeFn = new HashMap<>();
    private final int maxIdle;

    Program(Graph traced, Mode mode) {
        Graph g = Lowering.lower(traced);
        if (mode == Mode.FAST) {
            g = Fusion.fuse(g);
        }
        this.graph = g;
        this.mode = mode;
        this.kernels = new Kernel[g.ops().size()];
        for (int i = 0; i < kernels.length; i++) {
            kernels[i] = Kernels.of(g.ops().get(i));
        }
        this.plan = Plan.of(g, mode);
        this.values = new Value[g.valueCount()];
        values[g.input().id()] = g.input();
        for (Op op : g.ops()) {
            values[op.output().id()] = op.output();
        }
        for (Op op : g.ops()) {
            if (!plan.kept()[op.output().id()] && mode == Mode.INSPECT && Kernels.recomputable(op)) {
                recompute.put(op.output().id(), op);
                recomputeFn.put(op.output().id(), Kernels.elementwise(op));
            }
        }
        this.ready = new ArrayList<>();
        for (int i = 0; i <= kernels.length; i++) {
            ready.add(new ArrayList<>());
        }
        if (mode.inspects()) {
            for (Graph.ModuleRun m : g.modules()) {
                int p = g.producerOf(m.output());
                if (values[m.output().id()] != null) {
                    ready.get(p + 1).add(m);
                    owned.put(m, ownedOps(g, m.path()));
                }
            }
        }
        this.maxIdle = mode == Mode.FAST ? Math.max(2, Runtime.getRuntime().availableProcessors()) : 2;
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
            listener.onModule(m, t);
        }
    }

    /**
     * A value of a finished inspect pass as floats (H, W, C): read from its buffer when the plan
     * kept it, else computed again from its input by the same elementwise arithmetic the pass used.
     */
    float[] read(Arena a, Value v) {
        if (plan.kept()[v.id()]) {
            return a.read(v);
        }
        INDArray m = materialize(a, v);
        try {
            return m.data().asFloat();
        } finally {
            m.close();
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

    /** The same into {@code dst} (at least {@code v.elements()} long): a kept value is one block copy. */
    void read(Arena a, Value v, float[] dst) {
        if (plan.kept()[v.id()]) {
            a.read(v, dst);
            return;
        }
        int n = (int) v.elements();
        if (dst.length < n) {
            throw new IllegalArgumentException(v + " has " + n + " values, the buffer " + dst.length);
        }
        INDArray m = materialize(a, v);
        try {
            m.data().asNioFloat().get(dst, 0, n);
        } finally {
            m.close();
        }
    }

    /** A fresh [rows, C] array holding a value the plan did not keep (the caller closes it). */
    private INDArray materialize(Arena a, Value v) {
        Nd4jRuntime.applyToCallingThread(); // readers may be threads that never ran a pass
        Op op = recompute.get(v.id());
        if (op == null) {
            throw new IllegalStateException(v + " was neither kept nor can be recomputed");
        }
        Value in = op.inputs().get(0);
        boolean inKept = plan.kept()[in.id()];
        INDArray x = inKept ? a.matrix(in) : materialize(a, in);
        INDArray z = Nd4j.createUninitialized(org.nd4j.linalg.api.buffer.DataType.FLOAT,
                Arena.matrixShape(v), 'c');
        recomputeFn.get(v.id()).bind(x, z).run();
        if (!inKept) {
            x.close();
        }
        return z;
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
    }
}

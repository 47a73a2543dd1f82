package org.layerlens.engine.exec;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.Value;

/**
 * Runs one traced graph: compiles it once per mode (on first use), then runs passes on any
 * number of threads at once, each on its own pooled buffers. Inputs and outputs are plain float
 * arrays; nothing of ND4J leaves this package.
 */
public final class Executor implements AutoCloseable {
    /**
     * Receives each module's output as soon as it exists, with the time its ops took; {@code fused}:
     * its ops went into another module's op, which has the time.
     */
    @FunctionalInterface
    public interface ModuleListener {
        void onModule(Graph.ModuleRun run, long nanos, boolean fused);
    }

    private final Graph traced;
    /** Each mode's program, compiled on first use. */
    private final Map<Mode, Program> programs = new EnumMap<>(Mode.class);
    /** The traced graph lowered, and its fused compilation (fast and inspect), each made on first use. */
    private Graph lowered;
    private Compiled fused;

    public Executor(Graph traced) {
        this.traced = traced;
    }

    public Graph traced() {
        return traced;
    }

    private synchronized Program program(Mode mode) {
        Program p = programs.get(mode);
        if (p == null) {
            Nd4jRuntime.init();
            p = new Program(compilation(mode), mode);
            programs.put(mode, p);
        }
        return p;
    }

    /**
     * What {@code mode} runs: inspect runs the fast pass's fused graph too (batch norm folded,
     * activations fused; a convolution's own output and its batch norm's are computed again from
     * the kept input when read, which the window does for a few modules) and shares its kernels;
     * inspect-all runs the unfused graph, every module's own value kept (compare, stats).
     */
    private Compiled compilation(Mode mode) {
        if (lowered == null) {
            lowered = Lowering.lower(traced);
        }
        if (mode == Mode.INSPECT_ALL) {
            return Compiled.unfused(lowered);
        }
        if (fused == null) {
            fused = Compiled.fused(lowered);
        }
        return fused;
    }

    /** The graph a mode runs (fused for FAST and INSPECT): for tests and for the closing numbers. */
    public Graph compiled(Mode mode) {
        return program(mode).graph();
    }

    /** A fast pass: the named outputs ({@code cls.i}, {@code reg.i}) as row-major (H, W, C) arrays. */
    public Map<String, float[]> fast(float[] input, BooleanSupplier cancelled) {
        Program p = program(Mode.FAST);
        Arena a = p.acquire();
        try {
            a.write(traced.input(), input);
            p.run(a, null, cancelled);
            return outputs(a);
        } finally {
            p.release(a);
        }
    }

    /** An inspect pass: every module's output readable until the returned activations are closed. */
    public Activations inspect(float[] input, ModuleListener listener, BooleanSupplier cancelled) {
        return inspect(Mode.INSPECT, input, listener, cancelled);
    }

    /** An inspect pass of {@link Mode#INSPECT} or {@link Mode#INSPECT_ALL}. */
    public Activations inspect(Mode mode, float[] input, ModuleListener listener, BooleanSupplier cancelled) {
        if (!mode.inspects()) {
            throw new IllegalArgumentException(mode + " keeps no module's output");
        }
        Program p = program(mode);
        Arena a = p.acquire();
        try {
            a.write(traced.input(), input);
            p.run(a, listener == null ? null : listener::onModule, cancelled);
            return new Activations(p, a, outputs(a));
        } catch (RuntimeException | Error e) {
            p.release(a);
            throw e;
        }
    }

    private Map<String, float[]> outputs(Arena a) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Value> e : traced.outputs().entrySet()) {
            out.put(e.getKey(), a.read(e.getValue()));
        }
        return out;
    }

    /** Native bytes per run of a mode (one arena). */
    public long arenaBytes(Mode mode) {
        return program(mode).arenaBytes();
    }

    @Override
    public synchronized void close() {
        for (Program p : programs.values()) {
            p.close();
        }
        programs.clear();
        fused = null;
        lowered = null;
    }
}

package org.layerlens.engine.exec;

import java.util.Map;

import org.layerlens.engine.graph.Value;

/**
 * Every value of one inspect pass, in native buffers until {@link #close()} gives them back to
 * the program's pool. Values are read out as plain arrays in row-major (H, W, C) order.
 */
public final class Activations implements AutoCloseable {
    private final Program program;
    private final Map<String, float[]> outputs;
    private Arena arena;

    Activations(Program program, Arena arena, Map<String, float[]> outputs) {
        this.program = program;
        this.arena = arena;
        this.outputs = Map.copyOf(outputs);
    }

    /** A copy of a value's elements; {@link IllegalStateException} once closed. */
    public synchronized float[] read(Value v) {
        if (arena == null) {
            throw new IllegalStateException("the inspection was closed");
        }
        return program.read(arena, v);
    }

    /**
     * Copies a value's elements into {@code dst} (at least {@code v.elements()} long), computing
     * a value the plan did not keep again as {@link #read(Value)} does; a kept one is one block copy.
     */
    public synchronized void read(Value v, float[] dst) {
        if (arena == null) {
            throw new IllegalStateException("the inspection was closed");
        }
        program.read(arena, v, dst);
    }

    /**
     * A value's elements in native memory ({@link ValueView}): this pass's own buffer when it
     * holds the value (valid until {@link #close()}), else a copy computed again that closing the
     * view frees. Only making the view is serialised; reading it is not.
     */
    public synchronized ValueView view(Value v) {
        if (arena == null) {
            throw new IllegalStateException("the inspection was closed");
        }
        return program.view(arena, v);
    }

    /** The graph's named outputs (the heads' raw maps). */
    public Map<String, float[]> outputs() {
        return outputs;
    }

    @Override
    public synchronized void close() {
        if (arena != null) {
            program.release(arena);
            arena = null;
        }
    }
}

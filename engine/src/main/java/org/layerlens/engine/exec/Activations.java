package org.layerlens.engine.exec;

import java.nio.ByteBuffer;
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
     * a value the plan did not keep again as {@link #read(Value)} does; nothing allocated for a kept one.
     */
    public synchronized void read(Value v, float[] dst) {
        if (arena == null) {
            throw new IllegalStateException("the inspection was closed");
        }
        program.read(arena, v, dst);
    }

    /**
     * A read-only view of a value's elements in native memory (row-major H, W, C; native byte
     * order), valid until {@link #close()}: after that the memory holds another pass's values.
     * Null for a value this pass does not hold (computed again when read).
     */
    public synchronized ByteBuffer view(Value v) {
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

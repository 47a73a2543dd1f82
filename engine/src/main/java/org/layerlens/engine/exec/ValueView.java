package org.layerlens.engine.exec;

import java.nio.ByteBuffer;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One value of an inspect pass in native memory, for native code to read in place (OpenCV): the
 * pass's own buffer when it holds the value, else a copy computed again that {@link #close()}
 * frees. The buffer is read-only, row-major (H, W, C) floats in native byte order, and valid
 * until this view is closed and, for a held value, until its pass's activations are.
 */
public final class ValueView implements AutoCloseable {
    private final ByteBuffer values;
    private INDArray computed;

    ValueView(ByteBuffer values, INDArray computed) {
        this.values = values;
        this.computed = computed;
    }

    /** The value's floats. */
    public ByteBuffer values() {
        return values;
    }

    /** Whether the value was computed again for this view (the pass does not hold it). */
    public boolean computed() {
        return computed != null;
    }

    @Override
    public synchronized void close() {
        if (computed != null) {
            computed.close();
            computed = null;
        }
    }
}

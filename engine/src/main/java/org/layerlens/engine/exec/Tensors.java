package org.layerlens.engine.exec;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Small helpers for moving ND4J data out to Java arrays. */
public final class Tensors {
    private Tensors() {
    }

    /** All elements in C (row-major) order as floats. */
    public static float[] toFloats(INDArray a) {
        INDArray c = a;
        boolean copy = a.isView() || a.ordering() != 'c' || a.dataType() != DataType.FLOAT
                || a.data().length() != a.length();
        if (copy) {
            c = a.castTo(DataType.FLOAT).dup('c');
        }
        float[] out = c.data().asFloat();
        if (copy) {
            c.close();
        }
        return out;
    }

    /** Frees an array's native memory now, unless it is a view or already closed. */
    public static void close(INDArray a) {
        if (a != null && !a.wasClosed() && a.closeable()) {
            a.close();
        }
    }
}

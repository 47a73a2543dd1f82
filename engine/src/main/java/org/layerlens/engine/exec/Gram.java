package org.layerlens.engine.exec;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gram matrices of a feature map's activations through ND4J's BLAS (double precision): a
 * 256x256x64 map is 136 million multiply-adds, which a Java loop takes most of a second for and
 * dgemm a few tens of milliseconds (Eigen-CAM on a module the user just selected).
 */
public final class Gram {
    private Gram() {
    }

    /**
     * {@code A^T A} ({@code cols x cols}) when {@code ofColumns}, else {@code A A^T}
     * ({@code rows x rows}), of the row-major {@code rows x cols} matrix {@code a}; row-major.
     */
    public static double[] of(double[] a, int rows, int cols, boolean ofColumns) {
        Nd4jRuntime.init();
        try (INDArray m = Nd4j.create(a, new long[] {rows, cols}, 'c');
             INDArray g = ofColumns ? m.transpose().mmul(m) : m.mmul(m.transpose())) {
            if (g.dataType() != DataType.DOUBLE) {
                throw new IllegalStateException("expected a double product, got " + g.dataType());
            }
            return g.dup('c').data().asDouble();
        }
    }
}

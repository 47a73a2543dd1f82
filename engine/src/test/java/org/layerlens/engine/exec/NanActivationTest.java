package org.layerlens.engine.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.layerlens.engine.graph.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The activations of a model with NaN or infinite weights let NaN through as PyTorch's do
 * (torch.nn.functional.relu6(nan) is nan): ND4J's ReLU6 makes NaN 6.0, which is what a model with
 * finite weights keeps (its speed). NanWeightTest checks a whole network against PyTorch where the
 * PyTorch-written checkpoints are made; this runs everywhere.
 */
class NanActivationTest {
    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    @Test
    void relu6AndHardSigmoidKeepNaNForAModelThatNeedsIt() {
        float[] in = {NAN, INF, -INF, -1f, 3f, 7f};
        assertArrayEquals(new float[] {NAN, 6f, 0f, 0f, 3f, 6f}, run(in, Activation.RELU6, true));
        assertArrayEquals(new float[] {6f, 6f, 0f, 0f, 3f, 6f}, run(in, Activation.RELU6, false),
                "ND4J's own ReLU6, kept for finite models: NaN becomes 6");
        assertArrayEquals(new float[] {NAN, 1f, 0f, 2f / 6f, 1f, 1f}, run(in, Activation.HARDSIGMOID, true), 1e-6f);
        assertArrayEquals(new float[] {NAN, INF, 0f, 0f, 3f, 7f}, run(in, Activation.RELU, true), "ReLU keeps NaN as it is");
        // in place, as the kernels run it
        INDArray x = Nd4j.createFromArray(in.clone());
        Kernels.act(x, x, Activation.RELU6, true).run();
        assertArrayEquals(new float[] {NAN, 6f, 0f, 0f, 3f, 6f}, x.toFloatVector());
    }

    private static float[] run(float[] in, Activation f, boolean keepNaN) {
        INDArray x = Nd4j.createFromArray(in.clone());
        INDArray z = Nd4j.createUninitialized(DataType.FLOAT, in.length);
        Kernels.act(x, z, f, keepNaN).run();
        return z.toFloatVector();
    }
}

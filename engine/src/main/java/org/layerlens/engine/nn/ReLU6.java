package org.layerlens.engine.nn;

import org.layerlens.engine.exec.Execution;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** {@code torch.nn.ReLU6}. Runs in place in fast mode, on a copy when outputs are kept. */
public final class ReLU6 extends Module {
    public final boolean inplace;

    public ReLU6(boolean inplace) {
        this.inplace = inplace;
    }

    @Override
    public String extraRepr() {
        return inplace ? "inplace" : "";
    }

    @Override
    public INDArray forward(INDArray x, Execution ex) {
        return Transforms.relu6(x, !ex.mayOverwrite(x));
    }
}

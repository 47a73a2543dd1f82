package org.layerlens.engine.nn;

import org.layerlens.engine.exec.Execution;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** {@code torch.nn.ReLU} (MobileNetV1). In place in fast mode, on a copy when outputs are kept. */
public final class ReLU extends Module {
    public final boolean inplace;

    public ReLU(boolean inplace) {
        this.inplace = inplace;
    }

    @Override
    public String extraRepr() {
        return inplace ? "inplace=True" : "";
    }

    @Override
    public INDArray forward(INDArray x, Execution ex) {
        return Transforms.relu(x, !ex.mayOverwrite(x));
    }
}

package org.layerlens.engine.nn;

import org.layerlens.engine.exec.Execution;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code torch.nn.ModuleList}: holds modules; the owner decides how they run. */
public final class ModuleList extends Module {
    public ModuleList(Module... modules) {
        for (int i = 0; i < modules.length; i++) {
            add(Integer.toString(i), modules[i]);
        }
    }

    public Module get(int i) {
        return child(Integer.toString(i));
    }

    public int size() {
        return children().size();
    }

    @Override
    public boolean callable() {
        return false;
    }

    @Override
    public INDArray forward(INDArray x, Execution ex) {
        throw new UnsupportedOperationException("ModuleList is not callable (as in PyTorch)");
    }
}

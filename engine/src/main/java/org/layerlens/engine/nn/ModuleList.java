package org.layerlens.engine.nn;

import org.layerlens.engine.graph.Tracer;
import org.layerlens.engine.graph.Value;

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
    public Value forward(Value x, Tracer t) {
        throw new UnsupportedOperationException("ModuleList is not callable (as in PyTorch)");
    }
}

package org.layerlens.engine.nn;

import java.util.List;

import org.layerlens.engine.exec.Execution;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code torch.nn.Sequential}: children run in order. */
public class Sequential extends Module {
    public Sequential(Module... modules) {
        for (int i = 0; i < modules.length; i++) {
            add(Integer.toString(i), modules[i]);
        }
    }

    /** A Sequential with named children, as {@code nn.Sequential(OrderedDict(...))}. */
    public Sequential(java.util.Map<String, Module> named) {
        named.forEach(this::add);
    }

    @Override
    public INDArray forward(INDArray x, Execution ex) {
        List<Module> mods = childList();
        INDArray cur = x;
        for (int i = 0; i < mods.size(); i++) {
            Module m = mods.get(i);
            INDArray next;
            if (ex.fast() && m instanceof Conv2d c && i + 1 < mods.size()
                    && mods.get(i + 1) instanceof BatchNorm2d bn) {
                next = ex.callFolded(c, bn, cur);
                i++;
            } else {
                next = ex.call(m, cur);
            }
            if (cur != x && next != cur) {
                ex.release(cur);
            }
            cur = next;
        }
        return cur;
    }
}

package org.layerlens.engine.nn;

import java.util.Map;

import org.layerlens.engine.graph.Tracer;
import org.layerlens.engine.graph.Value;

/** {@code torch.nn.Sequential}: children run in order. */
public class Sequential extends Module {
    public Sequential(Module... modules) {
        for (int i = 0; i < modules.length; i++) {
            add(Integer.toString(i), modules[i]);
        }
    }

    /** A Sequential with named children, as {@code nn.Sequential(OrderedDict(...))}. */
    public Sequential(Map<String, Module> named) {
        named.forEach(this::add);
    }

    @Override
    public Value forward(Value x, Tracer t) {
        Value cur = x;
        for (Module m : children().values()) {
            cur = t.call(m, cur);
        }
        return cur;
    }
}

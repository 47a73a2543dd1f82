package org.layerlens.engine.nn;

import org.layerlens.engine.graph.Tracer;
import org.layerlens.engine.graph.Value;

/** A module that passes its input on: {@code Dropout} at inference, {@code Identity}. */
public final class Identity extends Module {
    private final String type;
    private final String extra;

    public Identity(String type, String extra) {
        this.type = type;
        this.extra = extra;
    }

    @Override
    public String typeName() {
        return type;
    }

    @Override
    public String extraRepr() {
        return extra;
    }

    @Override
    public Value forward(Value x, Tracer t) {
        return x;
    }
}

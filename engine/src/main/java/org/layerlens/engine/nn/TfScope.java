package org.layerlens.engine.nn;

import java.util.LinkedHashMap;

import org.layerlens.engine.graph.Tracer;
import org.layerlens.engine.graph.Value;

/**
 * A TensorFlow name scope of a model read from a file ({@code FeatureExtractor/MobilenetV2},
 * {@code .../expanded_conv_3}): it holds the modules named below it, in the order they run; its
 * output is its last op's. Traced by the owning {@link TfliteNet}.
 */
public final class TfScope extends Module {
    TfScope(LinkedHashMap<String, Module> children) {
        children.forEach(this::add);
    }

    @Override
    public String typeName() {
        return "NameScope";
    }

    @Override
    public Value forward(Value x, Tracer t) {
        throw new UnsupportedOperationException(path() + " is traced by its TfliteNet");
    }
}

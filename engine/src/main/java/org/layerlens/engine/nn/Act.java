package org.layerlens.engine.nn;

import org.layerlens.engine.graph.Activation;
import org.layerlens.engine.graph.Tracer;
import org.layerlens.engine.graph.Value;

/**
 * An activation module under the class name its source prints: {@code ReLU(inplace=True)},
 * {@code ReLU6(inplace=True)}, {@code Hardswish()}, pytorch-ssd's own {@code hswish()} ...
 */
public final class Act extends Module {
    public final Activation activation;
    private final String type;
    private final String extra;

    public Act(String type, Activation activation, String extra) {
        this.type = type;
        this.activation = activation;
        this.extra = extra;
    }

    public static Act relu(boolean inplace) {
        return new Act("ReLU", Activation.RELU, inplace ? "inplace=True" : "");
    }

    /**
     * PyTorch 1.x prints {@code ReLU6(inplace=True)}; the seed printout, from an older PyTorch,
     * has {@code ReLU6(inplace)} (ReprTest accepts both spellings).
     */
    public static Act relu6(boolean inplace) {
        return new Act("ReLU6", Activation.RELU6, inplace ? "inplace=True" : "");
    }

    /** pytorch-ssd's MobileNetV3 {@code hswish()}: {@code x * relu6(x + 3) / 6}. */
    public static Act hswish() {
        return new Act("hswish", Activation.HARDSWISH, "");
    }

    /** pytorch-ssd's MobileNetV3 {@code hsigmoid()}: {@code relu6(x + 3) / 6}. */
    public static Act hsigmoid() {
        return new Act("hsigmoid", Activation.HARDSIGMOID, "");
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
        return t.act(x, activation);
    }
}

package org.layerlens.engine.nn;

import java.util.function.Supplier;

import org.layerlens.engine.graph.Activation;
import org.layerlens.engine.graph.Tracer;
import org.layerlens.engine.graph.Value;

/**
 * pytorch-ssd's MobileNetV3 bottleneck ({@code Block} in {@code vision/nn/mobilenetv3.py}):
 * 1x1 expansion, k x k depthwise, 1x1 projection, each with a batch norm, the first two followed
 * by the block's activation; then the optional squeeze-excite; then, for stride 1 only, the
 * shortcut added (a 1x1 conv + batch norm when the channel counts differ, else an empty
 * {@code Sequential}, which passes the input on).
 *
 * <p>Upstream's quirks, kept so that {@code print(model)} and the per-module outputs match:
 * {@code se} is registered first (it prints first) but runs after {@code bn3}; the one activation
 * object is registered twice, as {@code nolinear1} and {@code nolinear2} (here two modules of the
 * same type, whose outputs are its first and second call); a stride-2 block never calls its empty
 * shortcut, so that module has no output.
 */
public final class Block extends Module {
    public final int stride;

    /**
     * @param activation makes the block's activation ({@link Act#relu}(true) or {@link Act#hswish()})
     * @param se         squeeze-excite on the output channels, or null
     */
    public Block(int kernel, int in, int hidden, int out, Supplier<Act> activation, SeModule se, int stride) {
        this.stride = stride;
        if (se != null) {
            add("se", se);
        }
        add("conv1", new Conv2d(in, hidden, 1, 1, 0, 1, false));
        add("bn1", new BatchNorm2d(hidden));
        add("nolinear1", activation.get());
        add("conv2", new Conv2d(hidden, hidden, kernel, stride, kernel / 2, hidden, false));
        add("bn2", new BatchNorm2d(hidden));
        add("nolinear2", activation.get());
        add("conv3", new Conv2d(hidden, out, 1, 1, 0, 1, false));
        add("bn3", new BatchNorm2d(out));
        add("shortcut", stride == 1 && in != out
                ? new Sequential(new Conv2d(in, out, 1, 1, 0, 1, false), new BatchNorm2d(out))
                : new Sequential());
    }

    @Override
    public Value forward(Value x, Tracer t) {
        Value y = x;
        for (String name : new String[] {"conv1", "bn1", "nolinear1", "conv2", "bn2", "nolinear2", "conv3", "bn3"}) {
            y = t.call(child(name), y);
        }
        if (child("se") != null) {
            y = t.call(child("se"), y);
        }
        return stride == 1 ? t.add(y, t.call(child("shortcut"), x), Activation.NONE) : y;
    }
}

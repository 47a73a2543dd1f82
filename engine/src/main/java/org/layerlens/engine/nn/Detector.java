package org.layerlens.engine.nn;

import java.util.List;

import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.Tracer;
import org.layerlens.engine.graph.Value;

/**
 * The root of a detector's module tree: a backbone ({@link #trunk()}), the layers after it, and
 * per-source heads. {@link #trace} records the whole network once, with the heads' raw maps as
 * the graph's outputs {@code cls.i} (class logits, {@code [H, W, A * classes]}) and {@code reg.i}
 * (box offsets, {@code [H, W, A * 4]}), source i largest first. What the numbers mean (priors,
 * decoding, NMS) belongs to the architecture's spec, not to the tree.
 */
public abstract class Detector extends Module {
    /** Paths whose outputs the heads read, largest feature map first. */
    public abstract List<String> sourcePaths();

    /** The backbone: its children (stages) are the steps of the shape trail. */
    public abstract Module trunk();

    /** The modules that run after the backbone, in order (extras / prediction convolutions). */
    public abstract List<Module> afterTrunk();

    /** Records the network on a {@code size x size x 3} input. */
    public abstract Graph trace(int size);

    /** What the root is called in the module tree ({@code SSD}). */
    public String rootName() {
        return typeName();
    }

    @Override
    public Value forward(Value x, Tracer t) {
        throw new UnsupportedOperationException("a detector is traced whole: use trace()");
    }
}

package org.layerlens.engine.exec;

import org.layerlens.engine.nn.Module;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One module finished: its path, type, input and output shapes (NCHW), its output and how long
 * it took (children included). The output belongs to the run: in inspect mode it stays valid
 * until the {@link Inspection} holding it is closed; observers must not close it.
 */
public record ModuleEvent(Module module, long[] inputShape, long[] outputShape, INDArray output,
                          long nanos) {
    public String path() {
        return module.path();
    }

    public String type() {
        return module.typeName();
    }
}

package org.layerlens.engine.nn;

import org.layerlens.engine.exec.Execution;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** {@code torch.nn.BatchNorm2d} in inference form: running statistics, affine. */
public final class BatchNorm2d extends Module {
    public final int features;
    public final double eps;
    private INDArray scale;

    public BatchNorm2d(int features) {
        this(features, 1e-5);
    }

    public BatchNorm2d(int features, double eps) {
        this.features = features;
        this.eps = eps;
        declare("weight", features);
        declare("bias", features);
        declare("running_mean", features);
        declare("running_var", features);
        declareOptional("num_batches_tracked");
    }

    @Override
    public String extraRepr() {
        return features + ", eps=" + (eps == 1e-5 ? "1e-05" : Double.toString(eps))
                + ", momentum=0.1, affine=True, track_running_stats=True";
    }

    @Override
    protected void loaded() {
        scale = Transforms.sqrt(tensor("running_var").add(eps), false).rdivi(tensor("weight"));
    }

    INDArray scale() {
        return scale;
    }

    INDArray runningMean() {
        return tensor("running_mean");
    }

    INDArray beta() {
        return tensor("bias");
    }

    @Override
    public INDArray forward(INDArray x, Execution ex) {
        return Nd4j.nn().batchNorm(x, tensor("running_mean"), tensor("running_var"),
                tensor("weight"), tensor("bias"), eps, 1);
    }
}

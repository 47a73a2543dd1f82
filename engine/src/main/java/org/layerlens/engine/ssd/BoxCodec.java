package org.layerlens.engine.ssd;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** SSD box decoding: regression output + priors -> corner-form boxes, normalised 0..1. */
public final class BoxCodec {
    private final double centerVariance;
    private final double sizeVariance;

    public BoxCodec(double centerVariance, double sizeVariance) {
        this.centerVariance = centerVariance;
        this.sizeVariance = sizeVariance;
    }

    /**
     * @param locations [N, 4] regression outputs (dx, dy, dw, dh)
     * @param priors    [N, 4] center-form priors
     * @return [N, 4] boxes (x1, y1, x2, y2)
     */
    public INDArray decode(INDArray locations, INDArray priors) {
        INDArrayIndex all = NDArrayIndex.all();
        INDArrayIndex xy = NDArrayIndex.interval(0, 2);
        INDArrayIndex wh = NDArrayIndex.interval(2, 4);
        INDArray pc = priors.get(all, xy);
        INDArray ps = priors.get(all, wh);
        INDArray centers = locations.get(all, xy).mul(centerVariance).muli(ps).addi(pc);
        INDArray sizes = Transforms.exp(locations.get(all, wh).mul(sizeVariance), false).muli(ps);
        INDArray half = sizes.divi(2);
        INDArray lo = centers.sub(half);
        INDArray hi = centers.add(half);
        INDArray boxes = Nd4j.hstack(lo, hi);
        for (INDArray t : new INDArray[] {lo, hi, centers, half}) {
            t.close();
        }
        return boxes;
    }
}

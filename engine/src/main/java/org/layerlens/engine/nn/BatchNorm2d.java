package org.layerlens.engine.nn;

import org.layerlens.engine.graph.Tracer;
import org.layerlens.engine.graph.Value;

/**
 * {@code torch.nn.BatchNorm2d} in inference form: {@code (x - mean) / sqrt(var + eps) * weight +
 * bias}, traced as one per-channel affine op whose scale and shift are computed in double.
 */
public final class BatchNorm2d extends Module {
    public final int features;
    public final double eps;

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

    /** gamma / sqrt(var + eps), per channel. */
    public float[] scale() {
        float[] g = data("weight");
        float[] v = data("running_var");
        float[] s = new float[features];
        for (int c = 0; c < features; c++) {
            s[c] = (float) (g[c] / Math.sqrt(v[c] + eps));
        }
        return s;
    }

    /** beta - mean * scale, per channel. */
    public float[] shift() {
        float[] b = data("bias");
        float[] m = data("running_mean");
        float[] g = data("weight");
        float[] v = data("running_var");
        float[] s = new float[features];
        for (int c = 0; c < features; c++) {
            s[c] = (float) (b[c] - m[c] * (g[c] / Math.sqrt(v[c] + eps)));
        }
        return s;
    }

    @Override
    public Value forward(Value x, Tracer t) {
        if (dataOrNull("weight") == null) { // structure only: no weights loaded yet
            float[] one = new float[features];
            java.util.Arrays.fill(one, 1f);
            return t.affine(x, one, new float[features]);
        }
        return t.affine(x, scale(), shift());
    }
}

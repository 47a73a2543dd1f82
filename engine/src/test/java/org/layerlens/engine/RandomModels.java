package org.layerlens.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.layerlens.engine.api.Model;
import org.layerlens.engine.arch.ArchitectureSpec;
import org.layerlens.engine.io.CheckpointException;
import org.layerlens.engine.io.StateDict;
import org.layerlens.engine.io.TensorData;
import org.layerlens.engine.nn.Detector;
import org.layerlens.engine.nn.StateDictLoader;

/**
 * Any registered architecture with seeded random weights, for tests that need every
 * architecture but not a trained one (receptive fields, bookkeeping): convolutions with He
 * initialisation (activations keep their scale through the depth), batch-norm scales and
 * variances in [0.5, 1.5], biases and means around 0, anchors (face-api) random boxes.
 */
public final class RandomModels {
    private RandomModels() {
    }

    public static Model of(ArchitectureSpec spec, long seed) throws CheckpointException {
        int classes = spec.fixedClasses() > 0 ? spec.fixedClasses() : 4;
        Detector tree = spec.build(classes);
        Random r = new Random(seed);
        LinkedHashMap<String, TensorData> sd = new LinkedHashMap<>();
        tree.forEachParam((key, p) -> {
            if (p.optional()) {
                return;
            }
            long[] shape = p.shape();
            int n = 1;
            for (long d : shape) {
                n *= (int) d;
            }
            float[] v = new float[n];
            if (key.endsWith("extra_dim")) {
                for (int i = 0; i < n / 4; i++) {
                    double cy = r.nextDouble();
                    double cx = r.nextDouble();
                    double h = 0.05 + 0.45 * r.nextDouble();
                    double w = 0.05 + 0.45 * r.nextDouble();
                    v[4 * i] = (float) (cy - h / 2);
                    v[4 * i + 1] = (float) (cx - w / 2);
                    v[4 * i + 2] = (float) (cy + h / 2);
                    v[4 * i + 3] = (float) (cx + w / 2);
                }
            } else if (shape.length == 4) {
                double std = Math.sqrt(2.0 / (shape[1] * shape[2] * shape[3]));
                for (int i = 0; i < n; i++) {
                    v[i] = (float) (r.nextGaussian() * std);
                }
            } else if (key.endsWith("running_var") || shape.length == 1 && key.endsWith(".weight")) {
                for (int i = 0; i < n; i++) {
                    v[i] = (float) (0.5 + r.nextDouble());
                }
            } else {
                for (int i = 0; i < n; i++) {
                    v[i] = (float) (0.1 * r.nextGaussian());
                }
            }
            sd.put(key, new TensorData(shape, v, "float32"));
        });
        StateDictLoader.load(tree, tree.rootName(), new StateDict(null, sd));
        return Model.of(spec, tree, classes, spec.name() + " (random weights, seed " + seed + ")", null,
                spec.defaultLabels().apply(classes), List.of(), Set.of());
    }
}

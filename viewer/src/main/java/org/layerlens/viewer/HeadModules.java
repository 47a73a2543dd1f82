package org.layerlens.viewer;

import java.util.List;

import org.layerlens.engine.api.Model;
import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.Value;

/**
 * Which modules belong to which SSD head, from the traced graph: the head's class predictor is the
 * outermost module whose output is the graph's {@code cls.i} (pytorch-ssd's
 * {@code classification_headers.i}, face-api's {@code prediction_layer.box_predictor_i.class_predictor}),
 * and its source is the feature map the heads read.
 */
public final class HeadModules {
    private HeadModules() {
    }

    /** The module that computes head {@code head}'s class scores, or null when no module does. */
    public static String classModule(Model m, int head) {
        return outermost(m, m.graph().outputs().get("cls." + head));
    }

    /** The module that computes head {@code head}'s box offsets, or null. */
    public static String boxModule(Model m, int head) {
        return outermost(m, m.graph().outputs().get("reg." + head));
    }

    private static String outermost(Model m, Value v) {
        if (v == null) {
            return null;
        }
        String best = null;
        for (Graph.ModuleRun r : m.graph().modules()) {
            // a Sequential head and its last child share the output: the head is the shorter path
            if (r.output() == v && (best == null || r.path().length() < best.length())) {
                best = r.path();
            }
        }
        return best;
    }

    /** The head that module {@code path} is the source, class predictor or box predictor of, or -1. */
    public static int headOf(Model m, String path) {
        List<String> sources = m.tree().sourcePaths();
        for (int h = 0; h < m.layout().heads().size(); h++) {
            if (h < sources.size() && sources.get(h).equals(path) || path.equals(classModule(m, h))
                    || path.equals(boxModule(m, h))) {
                return h;
            }
        }
        return -1;
    }
}

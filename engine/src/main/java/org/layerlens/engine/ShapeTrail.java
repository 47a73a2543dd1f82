package org.layerlens.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.layerlens.engine.exec.ModuleEvent;
import org.layerlens.engine.nn.Module;
import org.layerlens.engine.nn.Detector;

/**
 * The tensor's journey through the network, one step per stage: the input, each top-level stage
 * of base_net (runs of equal shape collapse into one step that selects the last of them), the
 * SSD sources (marked), and the extras. For mb2-ssd-lite:
 * {@code 300x300x3 -> 150x150x32 -> ... -> 19x19x96 -> 19x19x576* -> 10x10x160 -> 10x10x320 -> 10x10x1280* -> 5x5x512* -> ...}
 */
public final class ShapeTrail {
    /** One step: the module it selects (empty for the input), its output shape, whether a head reads it. */
    public record Step(String path, long[] shape, boolean source) {
        public String label() {
            return hwc(shape);
        }
    }

    private ShapeTrail() {
    }

    /** HxWxC of an NCHW shape, as the seed writes it (19x19x576). */
    public static String hwc(long[] nchw) {
        if (nchw.length == 4) {
            return nchw[2] + "x" + nchw[3] + "x" + nchw[1];
        }
        return Arrays.stream(nchw).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }

    public static List<Step> of(Detector net, long[] inputShape, Map<String, ModuleEvent> events) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("", inputShape, false));
        List<String> order = new ArrayList<>();
        for (Module m : net.trunk().childList()) {
            for (String src : net.sourcePaths()) {
                if (src.startsWith(m.path() + ".")) {
                    order.add(src); // a source tapped inside this stage comes before its output
                }
            }
            order.add(m.path());
        }
        for (Module m : net.afterTrunk()) {
            order.add(m.path());
        }
        for (String p : order) {
            ModuleEvent e = events.get(p);
            if (e == null) {
                continue;
            }
            List<Module> stages = net.trunk().childList();
            boolean source = net.sourcePaths().contains(p) || (p.equals(stages.get(stages.size() - 1).path())
                    && net.sourcePaths().contains(net.trunk().path()));
            Step last = steps.get(steps.size() - 1);
            if (!source && !last.source() && Arrays.equals(last.shape(), e.outputShape()) && !last.path().isEmpty()) {
                steps.set(steps.size() - 1, new Step(p, e.outputShape(), false));
            } else {
                steps.add(new Step(p, e.outputShape(), source));
            }
        }
        return steps;
    }

    public static String format(List<Step> steps) {
        return steps.stream().map(s -> s.label() + (s.source() ? "*" : "")).collect(Collectors.joining(" -> "));
    }
}

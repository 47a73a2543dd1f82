package org.layerlens.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.layerlens.engine.api.ModuleEvent;
import org.layerlens.engine.nn.Detector;
import org.layerlens.engine.nn.Module;

/**
 * The tensor's journey through the network, one step per stage: the input, each top-level stage
 * of the backbone (runs of equal shape collapse into one step that selects the last of them), the
 * sources (marked), and the layers after the backbone. For mb2-ssd-lite:
 * {@code 300x300x3 -> 150x150x32 -> ... -> 19x19x96 -> 19x19x576* -> 10x10x160 -> 10x10x320 -> 10x10x1280* -> 5x5x512* -> ...}
 */
public final class ShapeTrail {
    /** One step: the module it selects (empty for the input), its output shape [C, H, W], whether a head reads it. */
    public record Step(String path, int[] shape, boolean source) {
        public String label() {
            return hwc(shape);
        }
    }

    private ShapeTrail() {
    }

    /** HxWxC of a [C, H, W] shape, as the seed writes it (19x19x576). */
    public static String hwc(int[] chw) {
        if (chw.length == 3) {
            return chw[1] + "x" + chw[2] + "x" + chw[0];
        }
        return Arrays.stream(chw).mapToObj(Integer::toString).collect(Collectors.joining("x"));
    }

    public static List<Step> of(Detector net, int inputSize, Map<String, ModuleEvent> events) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("", new int[] {3, inputSize, inputSize}, false));
        List<String> order = new ArrayList<>();
        List<String> sources = net.sourcePaths();
        List<Module> stages = net.trunk().childList();
        for (Module m : stages) {
            for (String src : sources) {
                if (!src.equals(m.path()) && net.pathStyle().within(src, m.path())) {
                    order.add(src); // a source tapped inside this stage comes before its output
                }
            }
            order.add(m.path());
        }
        for (Module m : net.afterTrunk()) {
            order.add(m.path());
        }
        String lastStage = stages.get(stages.size() - 1).path();
        for (String p : order) {
            ModuleEvent e = events.get(p);
            if (e == null) {
                continue;
            }
            boolean source = sources.contains(p) || p.equals(lastStage) && sources.contains(net.trunk().path());
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

package org.layerlens.engine.nn;

import java.util.List;

import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.Tracer;
import org.layerlens.engine.graph.Value;

/**
 * pytorch-ssd's {@code SSD}: a backbone ({@code base_net}), extra layers, per-source
 * classification and regression heads, and optional add-on layers applied to a source before its
 * heads read it (VGG16-SSD's batch norm on conv4_3). Traced in upstream's order: each source's
 * heads run as soon as the backbone stage holding it (or the extra producing it) has finished.
 */
public final class SSD extends Detector {
    private final List<String> sourcePaths;
    /** For each source, the index in source_layer_add_ons of its add-on, or -1. */
    private final int[] addOns;

    /**
     * @param baseNet  the backbone, run child by child: a {@code Sequential}, or a {@code ModuleList}
     *                 where upstream keeps one (VGG16-SSD)
     * @param addOns   for each source, the index in {@code addOnModules} of the module applied to it
     *                 before its heads read it, or -1
     */
    public SSD(Module baseNet, ModuleList extras, ModuleList classificationHeaders,
               ModuleList regressionHeaders, ModuleList addOnModules, List<String> sourcePaths, int[] addOns) {
        add("base_net", baseNet);
        add("extras", extras);
        add("classification_headers", classificationHeaders);
        add("regression_headers", regressionHeaders);
        add("source_layer_add_ons", addOnModules);
        this.sourcePaths = List.copyOf(sourcePaths);
        this.addOns = addOns.clone();
        assignPaths("");
    }

    public SSD(Module baseNet, ModuleList extras, ModuleList classificationHeaders,
               ModuleList regressionHeaders, List<String> sourcePaths) {
        this(baseNet, extras, classificationHeaders, regressionHeaders, new ModuleList(), sourcePaths,
                noAddOns(sourcePaths.size()));
    }

    private static int[] noAddOns(int n) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, -1);
        return a;
    }

    @Override
    public List<String> sourcePaths() {
        return sourcePaths;
    }

    public Module baseNet() {
        return child("base_net");
    }

    public ModuleList extras() {
        return (ModuleList) child("extras");
    }

    @Override
    public Module trunk() {
        return baseNet();
    }

    @Override
    public List<Module> afterTrunk() {
        return extras().childList();
    }

    @Override
    public String rootName() {
        return "SSD";
    }

    @Override
    public Graph trace(int size) {
        Tracer t = new Tracer();
        Value x = t.input(size, size, 3);
        Value in = x;
        int[] next = {0};
        int first = t.begin("base_net");
        for (Module stage : baseNet().childList()) {
            x = t.call(stage, x);
            heads(t, next, p -> p.equals(stage.path()) || p.startsWith(stage.path() + "."));
        }
        t.end("base_net", baseNet().typeName(), in, x, first);
        heads(t, next, "base_net"::equals);
        for (Module extra : extras().childList()) {
            x = t.call(extra, x);
            heads(t, next, extra.path()::equals);
        }
        if (next[0] != sourcePaths.size()) {
            throw new IllegalStateException("source " + sourcePaths.get(next[0]) + " never ran");
        }
        return t.finish();
    }

    /** Runs the heads of the next sources while their paths satisfy {@code done}. */
    private void heads(Tracer t, int[] next, java.util.function.Predicate<String> done) {
        ModuleList cls = (ModuleList) child("classification_headers");
        ModuleList reg = (ModuleList) child("regression_headers");
        ModuleList add = (ModuleList) child("source_layer_add_ons");
        while (next[0] < sourcePaths.size() && done.test(sourcePaths.get(next[0]))) {
            int i = next[0]++;
            Value src = t.outputOf(sourcePaths.get(i));
            if (addOns[i] >= 0) {
                src = t.call(add.get(addOns[i]), src);
            }
            t.output("cls." + i, t.call(cls.get(i), src));
            t.output("reg." + i, t.call(reg.get(i), src));
        }
    }
}

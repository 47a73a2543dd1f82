package org.layerlens.viewer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;

import org.layerlens.engine.api.Model;
import org.layerlens.engine.api.ModuleInfo;
import org.layerlens.engine.nn.Module;

/**
 * What the tree's columns show that does not depend on an image: every module's
 * {@link ModuleInfo} (parameters, multiply-adds, receptive field), read once per model on a
 * worker thread and kept while the model lives.
 */
public record ModelFacts(Map<String, ModuleInfo> byPath) {
    private static final Map<Model, ModelFacts> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    public static ModelFacts of(Model m) {
        ModelFacts f = CACHE.get(m);
        if (f == null) {
            Map<String, ModuleInfo> out = new LinkedHashMap<>();
            for (Module mod : m.tree().modules()) {
                out.put(mod.path(), m.info(mod.path()));
            }
            f = new ModelFacts(Collections.unmodifiableMap(out));
            CACHE.put(m, f);
        }
        return f;
    }

    public ModuleInfo get(String path) {
        return byPath.get(path);
    }

    /** The whole network: every module's parameters and multiply-adds (the tree's root row). */
    public ModuleInfo total() {
        return byPath.get("");
    }
}

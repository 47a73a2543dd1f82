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
            // a holder that is never called itself (a ModuleList, face-api's prediction_layer) gets its
            // children's multiply-adds, so that every row counts what is below it, as the others do
            fillHolders(m.tree(), out);
            f = new ModelFacts(Collections.unmodifiableMap(out));
            CACHE.put(m, f);
        }
        return f;
    }

    private static long fillHolders(Module mod, Map<String, ModuleInfo> out) {
        ModuleInfo i = out.get(mod.path());
        long below = 0;
        for (Module c : mod.childList()) {
            below += fillHolders(c, out);
        }
        if (i.outputShape() == null && i.multiplyAdds() == 0 && below > 0 && !mod.path().isEmpty()) {
            i = new ModuleInfo(i.path(), i.type(), null, i.parameters(), below, 0, 0, false);
            out.put(mod.path(), i);
        }
        return i.multiplyAdds();
    }

    public ModuleInfo get(String path) {
        return byPath.get(path);
    }

    /** The whole network: every module's parameters and multiply-adds (the tree's root row). */
    public ModuleInfo total() {
        return byPath.get("");
    }
}

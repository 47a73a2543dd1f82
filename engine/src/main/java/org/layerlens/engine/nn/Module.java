package org.layerlens.engine.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.layerlens.engine.exec.Execution;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A node of the module tree, shaped like {@code torch.nn.Module}: children live in one ordered
 * map under their exact names, parameters and buffers in another, and every module knows its
 * dotted path from the root ({@code base_net.14.conv.3}), which is also its state_dict prefix.
 */
public abstract class Module {
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    /** Parameters and buffers by local name, with the shape the model expects. */
    private final LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    private String path = "";

    /** A named tensor slot: the expected shape and, once loaded, its values. */
    public static final class Tensor {
        public final long[] shape;
        public final boolean optional;
        INDArray value;

        Tensor(long[] shape, boolean optional) {
            this.shape = shape;
            this.optional = optional;
        }

        public INDArray value() {
            return value;
        }
    }

    protected final <M extends Module> M add(String name, M child) {
        if (children.containsKey(name)) {
            throw new IllegalArgumentException("duplicate child " + name);
        }
        children.put(name, child);
        return child;
    }

    protected final void declare(String name, long... shape) {
        tensors.put(name, new Tensor(shape, false));
    }

    /** A tensor the file may carry that the model ignores ({@code num_batches_tracked}). */
    protected final void declareOptional(String name, long... shape) {
        tensors.put(name, new Tensor(shape, true));
    }

    protected final INDArray tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null || t.value == null) {
            throw new IllegalStateException(path + "." + name + " is not loaded");
        }
        return t.value;
    }

    public final Map<String, Tensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    public final Module child(String name) {
        return children.get(name);
    }

    public final List<Module> childList() {
        return new ArrayList<>(children.values());
    }

    public final String path() {
        return path;
    }

    /** The last component of the path; empty for the root. */
    public final String name() {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    /** Assigns dotted paths below this module; called once on the root after construction. */
    public final void assignPaths(String prefix) {
        this.path = prefix;
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().assignPaths(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey());
        }
    }

    /** Every module at every depth in definition order, root first (like {@code named_modules()}). */
    public final List<Module> modules() {
        List<Module> out = new ArrayList<>();
        collect(out);
        return out;
    }

    private void collect(List<Module> out) {
        out.add(this);
        for (Module c : children.values()) {
            c.collect(out);
        }
    }

    /** Visits every tensor slot with its full state_dict key. */
    public final void forEachTensor(BiConsumer<String, Tensor> visitor) {
        for (Module m : modules()) {
            for (Map.Entry<String, Tensor> e : m.tensors.entrySet()) {
                String key = m.path.isEmpty() ? e.getKey() : m.path + "." + e.getKey();
                visitor.accept(key, e.getValue());
            }
        }
    }

    /** Trainable parameter count of this module and everything below it. */
    public final long parameterCount() {
        long[] n = {0};
        forEachTensor((k, t) -> {
            if (isParameter(k)) {
                long c = 1;
                for (long d : t.shape) {
                    c *= d;
                }
                n[0] += c;
            }
        });
        return n[0];
    }

    private static boolean isParameter(String key) {
        return !(key.endsWith("running_mean") || key.endsWith("running_var")
                || key.endsWith("num_batches_tracked"));
    }

    /** The class name PyTorch prints ({@code Conv2d}, {@code InvertedResidual}). */
    public String typeName() {
        return getClass().getSimpleName();
    }

    /** Constructor arguments as PyTorch's {@code extra_repr}; empty when there are none. */
    public String extraRepr() {
        return "";
    }

    /** True for containers that PyTorch cannot call as a whole ({@code ModuleList}). */
    public boolean callable() {
        return true;
    }

    /**
     * Runs this module. Children are invoked through {@link Execution#call} so that every
     * module at every depth is observed, timed and, in fast mode, its temporaries released.
     */
    public abstract INDArray forward(INDArray x, Execution ex);

    /** Called once after all tensors are loaded (derived weights, folded forms). */
    protected void loaded() {
    }

    final void notifyLoaded() {
        for (Module m : modules()) {
            m.loaded();
        }
    }

    /** PyTorch's {@code repr(module)} text. */
    @Override
    public final String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(typeName()).append('(');
        if (children.isEmpty()) {
            sb.append(extraRepr());
            return sb.append(')').toString();
        }
        String extra = extraRepr();
        if (!extra.isEmpty()) {
            sb.append("\n  ").append(extra);
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            String child = e.getValue().toString().replace("\n", "\n  ");
            sb.append("\n  (").append(e.getKey()).append("): ").append(child);
        }
        return sb.append("\n)").toString();
    }
}

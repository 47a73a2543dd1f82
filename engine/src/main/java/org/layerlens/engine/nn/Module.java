package org.layerlens.engine.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.layerlens.engine.graph.PathStyle;
import org.layerlens.engine.graph.Tracer;
import org.layerlens.engine.graph.Value;
import org.layerlens.engine.io.TensorData;

/**
 * A node of the module tree, shaped like {@code torch.nn.Module}: children live in one ordered
 * map under their exact names, parameters and buffers in another, and every module knows its
 * path from the root ({@code base_net.14.conv.3}), which is also its state_dict prefix. Paths are
 * dotted as in PyTorch unless the tree says otherwise ({@link PathStyle}: trees read from
 * TensorFlow files keep TF's scopes, {@code FeatureExtractor/MobilenetV2/Conv}).
 * A module describes its computation by {@link #forward}ing symbolic values through a
 * {@link Tracer}; it computes no numbers itself and keeps no state about runs.
 */
public abstract class Module implements Tracer.Traceable {
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private final LinkedHashMap<String, Param> params = new LinkedHashMap<>();
    private String path = "";
    private PathStyle style = PathStyle.DOTTED;

    /** A named parameter or buffer: the shape the model expects and, once loaded, its values. */
    public static final class Param {
        private final long[] shape;
        private final boolean optional;
        private TensorData value;

        Param(long[] shape, boolean optional) {
            this.shape = shape;
            this.optional = optional;
        }

        public long[] shape() {
            return shape.clone();
        }

        /** A tensor the file may carry that the model ignores ({@code num_batches_tracked}). */
        public boolean optional() {
            return optional;
        }

        public TensorData value() {
            return value;
        }

        void set(TensorData v) {
            value = v;
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
        params.put(name, new Param(shape, false));
    }

    protected final void declareOptional(String name, long... shape) {
        params.put(name, new Param(shape, true));
    }

    /** A loaded parameter's values (row-major). */
    protected final float[] data(String name) {
        Param p = params.get(name);
        if (p == null || p.value == null) {
            throw new IllegalStateException(style.join(path, name) + " is not loaded");
        }
        return p.value.data();
    }

    /**
     * A parameter's values, or null while the tree holds no weights yet: a tree can be traced
     * before loading, for its structure (shapes, op order) alone.
     */
    protected final float[] dataOrNull(String name) {
        Param p = params.get(name);
        return p == null || p.value == null ? null : p.value.data();
    }

    protected final boolean has(String name) {
        return params.containsKey(name);
    }

    public final Map<String, Param> params() {
        return Collections.unmodifiableMap(params);
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

    @Override
    public final String path() {
        return path;
    }

    /** How this module's tree writes paths. */
    public final PathStyle pathStyle() {
        return style;
    }

    /** The last component of the path; empty for the root. */
    public final String name() {
        return style.last(path);
    }

    /** Assigns dotted paths below this module; called once on the root after construction. */
    public final void assignPaths(String prefix) {
        assignPaths(prefix, PathStyle.DOTTED);
    }

    /** Assigns paths in {@code pathStyle} below this module; called once on the root after construction. */
    public final void assignPaths(String prefix, PathStyle pathStyle) {
        this.path = prefix;
        this.style = pathStyle;
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().assignPaths(pathStyle.join(prefix, e.getKey()), pathStyle);
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

    /** The module at a path (in the tree's style) below this one, or null. */
    public final Module find(String relative) {
        Module m = this;
        for (String part : style.split(relative)) {
            m = m.children.get(part);
            if (m == null) {
                return null;
            }
        }
        return m;
    }

    /** Visits every parameter slot with its full state_dict key. */
    public final void forEachParam(BiConsumer<String, Param> visitor) {
        for (Module m : modules()) {
            for (Map.Entry<String, Param> e : m.params.entrySet()) {
                String key = style.join(m.path, e.getKey());
                visitor.accept(key, e.getValue());
            }
        }
    }

    /** Trainable parameter count of this module and everything below it. */
    public final long parameterCount() {
        long[] n = {0};
        forEachParam((k, t) -> {
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
    @Override
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

    /** Describes this module's computation on {@code x}; children are run through {@link Tracer#call}. */
    @Override
    public abstract Value forward(Value x, Tracer t);

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

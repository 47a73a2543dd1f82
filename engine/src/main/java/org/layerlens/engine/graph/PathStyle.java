package org.layerlens.engine.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How a module tree joins names into paths: PyTorch's dots ({@code base_net.14.conv.3}) or
 * TensorFlow's name scopes ({@code FeatureExtractor/MobilenetV2/expanded_conv_3/expand}). A tree
 * uses one style throughout; everything that walks paths (finding a module, a module's ancestors,
 * whether an op belongs to a module) asks the tree's style instead of assuming a dot, so that a
 * TF scope may contain dots and a PyTorch name never needs a slash.
 */
public enum PathStyle {
    DOTTED('.'), SCOPED('/');

    private final char separator;
    private final Pattern splitter;

    PathStyle(char separator) {
        this.separator = separator;
        this.splitter = Pattern.compile(Pattern.quote(String.valueOf(separator)));
    }

    public char separator() {
        return separator;
    }

    /** {@code parent} + separator + {@code name}; just {@code name} below the root (empty path). */
    public String join(String parent, String name) {
        return parent.isEmpty() ? name : parent + separator + name;
    }

    /** The path one level up; empty for a top-level name or the root. */
    public String parent(String path) {
        int at = path.lastIndexOf(separator);
        return at < 0 ? "" : path.substring(0, at);
    }

    /** The last name of a path. */
    public String last(String path) {
        return path.substring(path.lastIndexOf(separator) + 1);
    }

    /** Whether {@code path} is {@code ancestor} or lies below it (the root contains everything). */
    public boolean within(String path, String ancestor) {
        return ancestor.isEmpty() || path.equals(ancestor)
                || path.length() > ancestor.length() && path.startsWith(ancestor)
                && path.charAt(ancestor.length()) == separator;
    }

    /** The names of a path in order (none for the root). */
    public String[] split(String path) {
        return path.isEmpty() ? new String[0] : splitter.split(path, -1);
    }

    /** {@code a.b.c} -> {@code a.b.c, a.b, a, ""}: the paths of a module and every module above it. */
    public List<String> ancestors(String path) {
        List<String> out = new ArrayList<>();
        String p = path;
        while (true) {
            out.add(p);
            if (p.isEmpty()) {
                return out;
            }
            p = parent(p);
        }
    }
}

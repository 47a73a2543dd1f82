package org.layerlens.engine.nn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.layerlens.engine.graph.PathStyle;
import org.layerlens.engine.io.TfliteModel;

/**
 * Which module of the tree each TFLite operator belongs to, from TensorFlow's name scopes in its
 * output tensor's name. Converters join the names of the TF ops they fused with ';'; the first is
 * the op whose result the tensor is ({@code FeatureExtractor/MobilenetV2/expanded_conv_3/expand/Relu6}).
 * Its scope, without the op's own name, is the module ({@code .../expanded_conv_3/expand}), with
 * two refinements:
 * <ul>
 * <li>a convolution whose batch norm the converter folded in carries the norm's name, and TF-Slim
 * puts a convolution's batch norm in a {@code BatchNorm} scope inside the convolution's
 * ({@code .../project/BatchNorm/FusedBatchNormV3}): the module is the convolution's scope
 * ({@code .../project});</li>
 * <li>an op whose scope also holds other modules (the residual {@code .../expanded_conv_2/add})
 * becomes a module of its own under its full name, and so do ops sharing a scope that do not
 * form one chain (each reads the previous one's output); names still taken get the op's index.</li>
 * </ul>
 * Paths use TF's '/' ({@link PathStyle#SCOPED}).
 */
final class TfScopes {
    private static final PathStyle STYLE = PathStyle.SCOPED;

    private TfScopes() {
    }

    /** The module path of each operator (in the order given). */
    static Map<TfliteModel.Operator, String> assign(TfliteModel model, List<TfliteModel.Operator> ops) {
        Map<TfliteModel.Operator, String> leaf = new LinkedHashMap<>();
        for (TfliteModel.Operator op : ops) {
            leaf.put(op, scope(model, op));
        }
        Set<TfliteModel.Operator> moved = new HashSet<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            Set<String> inner = new HashSet<>();
            for (String p : leaf.values()) {
                inner.addAll(STYLE.ancestors(STYLE.parent(p)));
            }
            Map<String, List<TfliteModel.Operator>> byPath = new LinkedHashMap<>();
            leaf.forEach((op, p) -> byPath.computeIfAbsent(p, k -> new ArrayList<>()).add(op));
            for (Map.Entry<String, List<TfliteModel.Operator>> e : byPath.entrySet()) {
                List<TfliteModel.Operator> group = e.getValue();
                if (!inner.contains(e.getKey()) && (group.size() == 1 || chain(group))) {
                    continue;
                }
                // scope -> full name -> full name with the op's index: each op moves at most twice
                for (TfliteModel.Operator op : group) {
                    String full = full(model, op);
                    String next = full.equals(e.getKey()) || moved.contains(op) ? uniqueName(full, op) : full;
                    moved.add(op);
                    if (!next.equals(e.getKey())) {
                        leaf.put(op, next);
                        changed = true;
                    }
                }
            }
        }
        return leaf;
    }

    /** Whether each op of the group reads the previous one's output. */
    private static boolean chain(List<TfliteModel.Operator> group) {
        for (int i = 1; i < group.size(); i++) {
            int prev = group.get(i - 1).outputs()[0];
            boolean reads = false;
            for (int t : group.get(i).inputs()) {
                reads |= t == prev;
            }
            if (!reads) {
                return false;
            }
        }
        return true;
    }

    /** The first op name of the output tensor, split into clean scope names. */
    private static List<String> names(TfliteModel model, TfliteModel.Operator op) {
        List<String> out = new ArrayList<>();
        for (String s : STYLE.split(model.tensor(op.outputs()[0]).opName())) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        if (out.isEmpty()) {
            out.add(op.kind().toLowerCase(java.util.Locale.ROOT) + "_" + op.index());
        }
        return out;
    }

    private static String scope(TfliteModel model, TfliteModel.Operator op) {
        List<String> n = names(model, op);
        if (n.size() == 1) {
            return n.get(0);
        }
        List<String> s = n.subList(0, n.size() - 1);
        boolean conv = op.kind().equals("CONV_2D") || op.kind().equals("DEPTHWISE_CONV_2D")
                || op.kind().equals("FULLY_CONNECTED");
        if (conv && s.size() > 1 && s.get(s.size() - 1).equals("BatchNorm")) {
            s = s.subList(0, s.size() - 1);
        }
        return String.join(String.valueOf(STYLE.separator()), s);
    }

    private static String full(TfliteModel model, TfliteModel.Operator op) {
        return String.join(String.valueOf(STYLE.separator()), names(model, op));
    }

    private static String uniqueName(String full, TfliteModel.Operator op) {
        return full + "_op" + op.index();
    }
}

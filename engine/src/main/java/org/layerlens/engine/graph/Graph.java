package org.layerlens.engine.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A traced network: its input, its ops in execution order, where each module of the tree starts
 * and ends among those ops, and its named outputs (the heads' raw maps). Built once when a model
 * is loaded (shapes are fixed: the input size is part of the architecture); every pass, analysis
 * (receptive fields, multiply-adds) and transformation (fast fusion, simulated quantisation)
 * starts from it.
 */
public final class Graph {
    /**
     * One module's run: its input and output, and the op count when it started and finished (its
     * event fires after op {@code endOp - 1}). Listed in the order modules finish: children before
     * their parents.
     */
    public record ModuleRun(String path, String type, Value input, Value output, int firstOp, int endOp) {
    }

    private final Value input;
    private final List<Op> ops;
    private final List<ModuleRun> modules;
    private final LinkedHashMap<String, Value> outputs;
    private final int valueCount;
    private final PathStyle style;
    private final Map<Integer, Integer> producer = new HashMap<>();
    private final Map<String, ModuleRun> byPath = new HashMap<>();

    public Graph(Value input, List<Op> ops, List<ModuleRun> modules, LinkedHashMap<String, Value> outputs,
                 int valueCount) {
        this(input, ops, modules, outputs, valueCount, PathStyle.DOTTED);
    }

    /** A graph whose module paths are written in {@code style} (TensorFlow scopes for graphs read from TFLite). */
    public Graph(Value input, List<Op> ops, List<ModuleRun> modules, LinkedHashMap<String, Value> outputs,
                 int valueCount, PathStyle style) {
        this.style = style;
        this.input = input;
        this.ops = List.copyOf(ops);
        this.modules = List.copyOf(modules);
        this.outputs = new LinkedHashMap<>(outputs);
        this.valueCount = valueCount;
        for (int i = 0; i < this.ops.size(); i++) {
            producer.put(this.ops.get(i).output().id(), i);
        }
        for (ModuleRun m : this.modules) {
            byPath.putIfAbsent(m.path(), m);
        }
    }

    public Value input() {
        return input;
    }

    /** How the module paths of this graph's ops and runs are written. */
    public PathStyle style() {
        return style;
    }

    public List<Op> ops() {
        return ops;
    }

    public List<ModuleRun> modules() {
        return modules;
    }

    /** The run of the module at {@code path}, or null when it never ran (a ModuleList, a holder). */
    public ModuleRun module(String path) {
        return byPath.get(path);
    }

    /** Named outputs in order (for SSDs: {@code cls.0, reg.0, cls.1, ...}). */
    public Map<String, Value> outputs() {
        return Collections.unmodifiableMap(outputs);
    }

    public int valueCount() {
        return valueCount;
    }

    /** Index of the op producing {@code v}; -1 for the input. */
    public int producerOf(Value v) {
        Integer i = producer.get(v.id());
        return i == null ? -1 : i;
    }

    /** How many ops read each value (by value id); the named outputs count as readers too. */
    public int[] consumerCounts() {
        int[] n = new int[valueCount];
        for (Op op : ops) {
            for (Value v : op.inputs()) {
                n[v.id()]++;
            }
        }
        for (Value v : outputs.values()) {
            n[v.id()]++;
        }
        return n;
    }

    /**
     * Multiply-adds per module path: the ops it owns and its descendants' (by path prefix, since
     * a detector may run a head between two stages of its backbone).
     */
    public Map<String, Long> macsByModule() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (ModuleRun m : modules) {
            out.putIfAbsent(m.path(), 0L);
        }
        for (Op op : ops) {
            if (op.macs() == 0) {
                continue;
            }
            for (String p : style.ancestors(op.path())) {
                out.computeIfPresent(p, (k, v) -> v + op.macs());
            }
        }
        return out;
    }

    /** {@code a.b.c} -> {@code a.b.c, a.b, a, ""} for PyTorch's dotted paths (see {@link PathStyle#ancestors}). */
    public static List<String> ancestors(String path) {
        return PathStyle.DOTTED.ancestors(path);
    }

    public long totalMacs() {
        long n = 0;
        for (Op op : ops) {
            n += op.macs();
        }
        return n;
    }

    /**
     * A copy with other ops (transformations): the same input and outputs, the module runs given,
     * and {@code newValueCount} value ids (more when the transformation made values).
     */
    public Graph withOps(List<Op> newOps, List<ModuleRun> newModules, int newValueCount) {
        return new Graph(input, newOps, newModules, outputs, newValueCount, style);
    }

    /** Ops as text, one a line (for tests and --verbose). */
    public String describe() {
        List<String> lines = new ArrayList<>();
        for (Op op : ops) {
            lines.add(op.getClass().getSimpleName() + " " + op.path() + " " + op.inputs() + " -> " + op.output());
        }
        return String.join("\n", lines);
    }
}

package org.layerlens.engine.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.layerlens.engine.exec.Activations;
import org.layerlens.engine.exec.ValueView;
import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.graph.Value;
import org.layerlens.engine.image.LoadedImage;

/**
 * The result of one inspect pass: an event per module (path, type, shapes, time), every module's
 * output on request as {@link LayerData}, the network input, and the decoded output. Holds the
 * pass's native buffers until closed.
 */
public final class Inspection implements AutoCloseable {
    private final Model model;
    private final LoadedImage image;
    private final Activations activations;
    private final LinkedHashMap<String, ModuleEvent> events;
    private final DetectorOutput output;
    private final long nanos;

    Inspection(Model model, LoadedImage image, Activations activations, LinkedHashMap<String, ModuleEvent> events,
               DetectorOutput output, long nanos) {
        this.model = model;
        this.image = image;
        this.activations = activations;
        this.events = events;
        this.output = output;
        this.nanos = nanos;
    }

    public Model model() {
        return model;
    }

    public LoadedImage image() {
        return image;
    }

    /** Events by module path, in the order modules finished. */
    public Map<String, ModuleEvent> events() {
        return Collections.unmodifiableMap(events);
    }

    public ModuleEvent event(String path) {
        return events.get(path);
    }

    public DetectorOutput output() {
        return output;
    }

    public double totalMillis() {
        return nanos / 1e6;
    }

    /** The output of the module at {@code path}, copied out; null when that module has no output of its own. */
    public LayerData layer(String path) {
        Value v = outputOf(path);
        return v == null ? null : data(path, v);
    }

    /**
     * Copies the output of the module at {@code path} into {@code dst} (channels-last, as
     * {@link LayerData#values}) and returns how many values that is, or -1 when the module has no
     * output of its own. For analyses that read every module: no array is allocated per read.
     */
    public int readInto(String path, float[] dst) {
        Value v = outputOf(path);
        if (v == null) {
            return -1;
        }
        activations.read(v, dst);
        return (int) v.elements();
    }

    /**
     * The output of the module at {@code path} in native memory, for native code that reads every
     * module without copying it into Java arrays: where the pass holds it, or computed again into
     * memory of the view's own ({@link Model#inspect}'s convolution and batch norm outputs that
     * fusion took away; {@link Model#inspectAll} holds them all). Close the view when done; valid at most until this
     * inspection is closed. Null when the module has no output of its own.
     */
    public ValueView outputView(String path) {
        Value v = outputOf(path);
        return v == null ? null : activations.view(v);
    }

    /** The graph value a module of this pass output; null when the module has no output of its own. */
    private Value outputOf(String path) {
        Graph.ModuleRun run = model.graph().module(path);
        return run == null || !events.containsKey(path) ? null : run.output();
    }

    /** The number of values of the largest module output (the buffer {@link #readInto} needs at most). */
    public int largestOutput() {
        long n = 0;
        for (String p : events.keySet()) {
            Graph.ModuleRun run = model.graph().module(p);
            if (run != null) {
                n = Math.max(n, run.output().elements());
            }
        }
        return (int) n;
    }

    /** The network input as the model's preprocessing made it. */
    public LayerData input() {
        return data("input", model.graph().input());
    }

    private LayerData data(String name, Value v) {
        float[] values = activations.read(v);
        int[] d = v.dims();
        return d.length == 3 ? new LayerData(name, d[2], d[0], d[1], values)
                : new LayerData(name, d[d.length - 1], (int) (v.elements() / d[d.length - 1]), 1, values, true);
    }

    @Override
    public void close() {
        activations.close();
    }
}

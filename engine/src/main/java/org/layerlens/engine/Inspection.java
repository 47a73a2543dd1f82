package org.layerlens.engine;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.layerlens.engine.exec.Execution;
import org.layerlens.engine.exec.ModuleEvent;
import org.layerlens.engine.exec.ModuleObserver;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.ssd.SsdOutput;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The result of one inspect pass: every module's event (output kept) by path, the model
 * outputs, and the input tensor. Holds native memory: close it when done.
 */
public final class Inspection implements AutoCloseable {
    private final Model model;
    private final LoadedImage image;
    private final INDArray input;
    private final LinkedHashMap<String, ModuleEvent> events = new LinkedHashMap<>();
    private SsdOutput output;
    private long totalNanos;
    private boolean closed;

    private Inspection(Model model, LoadedImage image, INDArray input) {
        this.model = model;
        this.image = image;
        this.input = input;
    }

    /**
     * Runs {@code model} on {@code input}; {@code also} sees each event as it happens (progress),
     * {@code started} receives the execution so that a caller can cancel it.
     */
    public static Inspection run(Model model, LoadedImage image, INDArray input, Execution.Mode mode,
                                 ModuleObserver also, Consumer<Execution> started) {
        Inspection ins = new Inspection(model, image, input);
        ModuleObserver obs = e -> {
            ins.events.put(e.path(), e);
            if (also != null) {
                also.onModule(e);
            }
        };
        Execution ex = model.newExecution(mode, obs);
        if (started != null) {
            started.accept(ex);
        }
        long t0 = System.nanoTime();
        try {
            ins.output = model.net().predict(input, ex, image.width(), image.height());
        } catch (RuntimeException e) {
            ins.close();
            throw e;
        }
        ins.totalNanos = System.nanoTime() - t0;
        return ins;
    }

    public Model model() {
        return model;
    }

    public LoadedImage image() {
        return image;
    }

    public INDArray input() {
        return input;
    }

    public Map<String, ModuleEvent> events() {
        return Collections.unmodifiableMap(events);
    }

    public ModuleEvent event(String path) {
        return events.get(path);
    }

    public SsdOutput output() {
        return output;
    }

    public double totalMillis() {
        return totalNanos / 1e6;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Set<INDArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        seen.add(input);
        for (ModuleEvent e : events.values()) {
            INDArray o = e.output();
            if (o != null && seen.add(o) && !o.wasClosed()) {
                o.close();
            }
        }
        if (!input.wasClosed()) {
            input.close();
        }
    }
}

package org.layerlens.engine.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.api.Workers;
import org.layerlens.engine.exec.CancelledException;
import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;

/**
 * Statistics of every module output and every channel over a set of images, streaming: each
 * image is inspected, summarised into running figures and sketches, and dropped, so memory does
 * not grow with the number of images. {@code workers} threads each take the next image and run
 * their own inspect pass (the executor keeps pooled buffers per run); their summaries merge
 * under one lock per graph value. An image that cannot be read is skipped with a warning.
 */
public final class Statistics {
    /**
     * ND4J frees a pass's native temporaries (op descriptors, shape buffers) only when their Java
     * objects are collected, and this loop makes little Java garbage, so collections are rare and
     * those buffers pile up: measured, resident memory grew 200 MB over 40 images without a
     * collection now and then. One every 25 images costs a fraction of one image's time.
     */
    private static final int GC_EVERY = 25;

    private Statistics() {
    }

    /** The module paths a stats run reports, in execution order, and the graph value each one outputs. */
    static Map<String, Graph.ModuleRun> reported(Model m) {
        Map<String, Graph.ModuleRun> out = new LinkedHashMap<>();
        for (Graph.ModuleRun r : m.graph().modules()) {
            if (!r.path().isEmpty()) {
                out.putIfAbsent(r.path(), r);
            }
        }
        return out;
    }

    /**
     * Runs over {@code images}; {@code progress} hears after every image, {@code warnings} gets one
     * line per skipped file, and {@code cancelled} stops the run ({@link CancelledException}) at
     * the next module boundary.
     */
    public static DatasetStats run(Model m, List<Path> images, int workers, Progress progress,
                                   Consumer<String> warnings, BooleanSupplier cancelled) {
        Map<String, Graph.ModuleRun> runs = reported(m);
        Map<Integer, ValueStats> byValue = new LinkedHashMap<>();
        Map<Integer, String> firstPath = new LinkedHashMap<>();
        for (Map.Entry<String, Graph.ModuleRun> e : runs.entrySet()) {
            var v = e.getValue().output();
            byValue.computeIfAbsent(v.id(), k -> new ValueStats(v.channels(), (int) (v.elements() / v.channels())));
            firstPath.putIfAbsent(v.id(), e.getKey());
        }
        List<String> skipped = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done = new AtomicInteger();
        AtomicInteger used = new AtomicInteger();
        BooleanSupplier stop = cancelled == null ? () -> false : cancelled;
        Workers.run("layerlens-stats", images.size(), workers, Scratch::new, (scratch, i) -> {
            Path p = images.get(i);
            LoadedImage img;
            try {
                img = Images.read(p);
            } catch (IOException | RuntimeException e) {
                // with its reason: an unreadable file's own message is its path alone ("img07.jpg; skipped")
                String msg = org.layerlens.engine.Problems.message(e) == null ? e.toString()
                        : org.layerlens.engine.Problems.message(e);
                skipped.add(p.toString());
                warnings.accept(msg.replace('\n', ' ') + "; skipped");
                progress.update(done.incrementAndGet(), images.size(), p.getFileName().toString());
                return null;
            }
            img.warnings().forEach(warnings);
            try (Inspection ins = m.inspectAll(img, null, stop)) {
                float[] values = scratch.values(ins.largestOutput());
                for (Map.Entry<Integer, ValueStats> e : byValue.entrySet()) {
                    int count = ins.readInto(firstPath.get(e.getKey()), values);
                    e.getValue().add(values, count, scratch.sums);
                }
            }
            if (used.incrementAndGet() % GC_EVERY == 0) {
                System.gc();
            }
            progress.update(done.incrementAndGet(), images.size(), p.getFileName().toString());
            return null;
        }, stop);
        List<ModuleStats> modules = new ArrayList<>();
        for (Map.Entry<String, Graph.ModuleRun> e : runs.entrySet()) {
            Graph.ModuleRun r = e.getValue();
            modules.add(byValue.get(r.output().id()).result(e.getKey(), r.type(), r.output().chw()));
        }
        List<String> sortedSkipped = new ArrayList<>(skipped);
        Set<String> order = new HashSet<>();
        sortedSkipped.removeIf(s -> !order.add(s));
        sortedSkipped.sort(null);
        return new DatasetStats(m.name(), used.get(), List.copyOf(sortedSkipped), List.copyOf(modules));
    }

    /** A worker's own space: the array a module's output is read into, and the sums' scratch. */
    private static final class Scratch {
        final ValueStats.Scratch sums = new ValueStats.Scratch();
        private float[] values = new float[0];

        float[] values(int atLeast) {
            if (values.length < atLeast) {
                values = new float[atLeast];
            }
            return values;
        }
    }
}

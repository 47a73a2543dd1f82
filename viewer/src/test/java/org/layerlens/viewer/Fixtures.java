package org.layerlens.viewer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.layerlens.engine.api.Model;

/**
 * What the view-model tests share: files of the repository, the real engine as the model loader,
 * and a plain thread standing in for the JavaFX thread (the view models commit results there and
 * are only touched from there), so no screen and no toolkit is needed.
 */
final class Fixtures implements AutoCloseable {
    final ExecutorService ui = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-ui");
        t.setDaemon(true);
        return t;
    });
    final ExecutorService worker;
    /** Tasks handed to {@link #services()}' worker that have not ended yet (queued or running). */
    private final AtomicInteger pending = new AtomicInteger();
    /** {@link #worker}, counting its tasks in {@link #pending}: what the view models get. */
    private final Executor tracked;

    Fixtures(ExecutorService worker) {
        this.worker = worker;
        this.tracked = task -> {
            pending.incrementAndGet();
            try {
                worker.execute(() -> {
                    try {
                        task.run();
                    } finally {
                        pending.decrementAndGet();
                    }
                });
            } catch (RuntimeException e) { // refused: it will never run
                pending.decrementAndGet();
                throw e;
            }
        };
    }

    Fixtures() {
        this(Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r, "test-worker");
            t.setDaemon(true);
            return t;
        }));
    }

    static Path root() {
        for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("sample-images")) && Files.isDirectory(d.resolve("engine"))) {
                return d;
            }
        }
        throw new IllegalStateException("repository root not found");
    }

    static Path randomModel() {
        return root().resolve("engine/src/test/resources/reference/mb2-ssd-lite-random-4.pth");
    }

    static Path randomModel21() {
        return root().resolve("engine/src/test/resources/reference/mb2-ssd-lite-random-21.pth");
    }

    /**
     * The random 4-class checkpoint with weights changed through the engine's API, as
     * reference/make_analysis.py changes them with PyTorch: a second, independent copy is read,
     * {@code edit} changes its tree's weights in place, and the tree is traced again.
     */
    static Model edited(String name, java.util.function.Consumer<org.layerlens.engine.nn.Detector> edit)
            throws Exception {
        Model m = Model.open(randomModel(), null);
        edit.accept(m.tree());
        return Model.of(m.spec(), m.tree(), m.classes(), name, m.source(), m.labels(), m.notes(), m.notComparable());
    }

    /** A parameter's values, to change in place. */
    static float[] param(org.layerlens.engine.nn.Detector tree, String module, String name) {
        return tree.find(module).params().get(name).value().data();
    }

    /** make_analysis.py's changed.pth: output channel 3 of base_net.7.conv.3's weights x1.5. */
    static Model changedLayer() throws Exception {
        return edited("changed (base_net.7.conv.3 channel 3 x1.5)", t -> {
            float[] w = param(t, "base_net.7.conv.3", "weight");
            int per = w.length / (int) t.find("base_net.7.conv.3").params().get("weight").shape()[0];
            for (int i = 3 * per; i < 4 * per; i++) {
                w[i] *= 1.5f;
            }
        });
    }

    /** make_analysis.py's dead.pth: channels 5 and 77 of base_net.3.conv's expansion dead, 100 at ReLU6's ceiling. */
    static Model deadChannels() throws Exception {
        return edited("dead (base_net.3.conv channels 5, 77 dead, 100 saturated)", t -> {
            float[] w = param(t, "base_net.3.conv.0", "weight");
            int per = w.length / (int) t.find("base_net.3.conv.0").params().get("weight").shape()[0];
            for (int[] cb : new int[][] {{5, -1}, {77, -1}, {100, 10}}) {
                int c = cb[0];
                java.util.Arrays.fill(w, c * per, (c + 1) * per, 0f);
                param(t, "base_net.3.conv.1", "running_mean")[c] = 0;
                param(t, "base_net.3.conv.1", "running_var")[c] = 1;
                param(t, "base_net.3.conv.1", "weight")[c] = 1;
                param(t, "base_net.3.conv.1", "bias")[c] = cb[1];
            }
        });
    }

    static Path sample(String name) {
        return root().resolve("sample-images").resolve(name);
    }

    static Model load(String ref, Path labels) throws Exception {
        return Model.open(Path.of(ref), labels);
    }

    InspectorViewModel.Services services() {
        return new InspectorViewModel.Services(tracked, ui, rgb -> null, RecentFiles.inMemory());
    }

    /** Runs on the stand-in UI thread and waits. */
    <T> T onUi(Callable<T> c) throws Exception {
        Future<T> f = ui.submit(c);
        return f.get(60, TimeUnit.SECONDS);
    }

    void onUi(Runnable r) throws Exception {
        ui.submit(r).get(60, TimeUnit.SECONDS);
    }

    /** Waits (up to {@code seconds}) until the condition, read on the UI thread, holds. */
    void await(int seconds, String what, BooleanSupplier condition) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (onUi(condition::getAsBoolean)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out after " + seconds + " s waiting for: " + what);
    }

    /**
     * Waits (up to {@code seconds}) until every job handed to the view models' worker has ended
     * and the UI thread has handled what they posted: from then on nothing changes unless the
     * test asks for something. Checks that something did not happen are made after this, not
     * after a sleep.
     */
    void awaitIdle(int seconds, String what) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (pending.get() == 0) {
                onUi(() -> { }); // what the last jobs posted has been handled (it may submit more)
                if (pending.get() == 0) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("timed out after " + seconds + " s waiting for the workers to be idle ("
                + pending.get() + " job(s) left): " + what);
    }

    @Override
    public void close() {
        ui.shutdownNow();
        worker.shutdownNow();
    }
}

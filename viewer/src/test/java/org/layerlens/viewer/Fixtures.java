package org.layerlens.viewer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

    Fixtures(ExecutorService worker) {
        this.worker = worker;
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

    static Path sample(String name) {
        return root().resolve("sample-images").resolve(name);
    }

    static Model load(String ref, Path labels) throws Exception {
        return Model.open(Path.of(ref), labels);
    }

    InspectorViewModel.Services services() {
        return new InspectorViewModel.Services(worker, ui, rgb -> null, RecentFiles.inMemory());
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

    @Override
    public void close() {
        ui.shutdownNow();
        worker.shutdownNow();
    }
}

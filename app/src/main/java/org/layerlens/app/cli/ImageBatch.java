package org.layerlens.app.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import org.layerlens.engine.api.Workers;
import org.layerlens.engine.exec.Nd4jRuntime;
import org.layerlens.engine.image.LoadedImage;

/**
 * Runs one job per image of a folder on all the threads the engine may use: each worker decodes
 * its image and runs its own pass (passes on one model are independent; their buffers are pooled
 * per run), with the engine's own ops on one thread each, since for many images one image per
 * core beats one image on many cores. Results come back in the images' order; an image that
 * cannot be read is skipped with a warning naming it. A progress line goes to the terminal for
 * long runs.
 */
public final class ImageBatch {
    /** What to do with one image; runs on a worker thread. */
    @FunctionalInterface
    public interface Job<R> {
        R run(LoadedImage image) throws Exception;
    }

    /** The results in the images' order (null for skipped images) and the skipped files. */
    public record Result<R>(List<R> results, List<String> skipped) {
    }

    private ImageBatch() {
    }

    public static <R> Result<R> run(Context c, List<Path> images, Job<R> job) throws Exception {
        int workers = Math.max(1, Math.min(Nd4jRuntime.threads(), images.size()));
        int opThreads = Nd4jRuntime.threads();
        if (workers > 1) {
            Nd4jRuntime.setThreads(1);
        }
        List<String> skipped = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done = new AtomicInteger();
        boolean progress = images.size() >= 50;
        long t0 = System.nanoTime();
        try {
            List<R> results = Workers.run("layerlens-batch", images.size(), workers, null, (none, i) -> {
                LoadedImage img = c.readOrWarn(images.get(i), skipped);
                R r = img == null ? null : job.run(img);
                int n = done.incrementAndGet();
                if (progress && (n % 50 == 0 || n == images.size())) {
                    double s = (System.nanoTime() - t0) / 1e9;
                    c.err.printf(Locale.ROOT, "layerlens: %d/%d images, %.1f images/s%n", n, images.size(), n / s);
                }
                return r;
            }, null);
            return new Result<>(new ArrayList<>(results), List.copyOf(skipped));
        } finally {
            Nd4jRuntime.setThreads(opThreads);
        }
    }
}

package org.layerlens.engine.analysis;

import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.layerlens.engine.api.EngineThreads;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.Workers;

/**
 * The two inspect-all passes of a comparison (the caller closes both). On two engine threads or
 * more they run side by side, each on its share of the threads: a small map's op gains little
 * from a second thread, a second pass gains a whole one (the default model's two passes at two
 * threads: 66-70 ms one after the other, 53-55 ms side by side, one thread each; medians of 30).
 * On one thread they run one after the other, on the calling thread.
 */
public record Passes(Inspection a, Inspection b) implements AutoCloseable {

    /** Runs {@code a} and {@code b}; when either fails or is cancelled, the other is closed once done. */
    public static Passes run(Supplier<Inspection> a, Supplier<Inspection> b, BooleanSupplier cancelled) {
        int threads = EngineThreads.get();
        // the same share for both (an odd thread left idle): both sides with the same arithmetic,
        // so that modules that agree differ by exactly 0
        int share = Math.max(1, threads / 2);
        List<Supplier<Inspection>> passes = List.of(a, b);
        AtomicReferenceArray<Inspection> done = new AtomicReferenceArray<>(2);
        try {
            Workers.run("layerlens-pass", 2, threads, null, (none, i) -> {
                Inspection x = EngineThreads.withShare(share, passes.get(i));
                done.set(i, x);
                return x;
            }, cancelled);
        } catch (RuntimeException | Error e) {
            for (int i = 0; i < 2; i++) {
                if (done.get(i) != null) {
                    done.get(i).close();
                }
            }
            throw e;
        }
        return new Passes(done.get(0), done.get(1));
    }

    @Override
    public void close() {
        try {
            a.close();
        } finally {
            b.close();
        }
    }
}

package org.layerlens.app;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;

import org.layerlens.viewer.LayerLensApp;

/** Starts the JavaFX window on the default model and sample image unless told otherwise. */
final class GuiLauncher {
    private GuiLauncher() {
    }

    static int launch(Args a) throws Exception {
        a.allowOnly(Set.of("model", "labels", "image", "layer", "snapshot", "measure"));
        Path image = a.get("image") != null ? Paths.get(a.get("image")) : ModelRef.defaultImage();
        Path labels = a.get("labels") == null ? null : Paths.get(a.get("labels"));
        Path snapshot = a.get("snapshot") == null ? null : Paths.get(a.get("snapshot"));
        java.util.List<Path> measure = a.get("measure") == null ? null : Cli.images(a.all("measure"));
        LayerLensApp.Options o = new LayerLensApp.Options(a.get("model", ModelRef.DEFAULT), labels, image,
                a.get("layer"), snapshot, measure);
        // start ND4J and read the model while JavaFX starts: the first window comes up ~1.5 s sooner
        java.util.concurrent.CompletableFuture<org.layerlens.engine.Model> early =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return ModelRef.load(o.modelRef(), labels);
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
        java.util.concurrent.atomic.AtomicBoolean used = new java.util.concurrent.atomic.AtomicBoolean();
        return LayerLensApp.launch(o, (ref, l) -> {
            if (ref.equals(o.modelRef()) && java.util.Objects.equals(l, labels) && used.compareAndSet(false, true)) {
                try {
                    return early.join();
                } catch (java.util.concurrent.CompletionException e) {
                    throw e.getCause() instanceof Exception ex ? ex : e;
                }
            }
            return ModelRef.load(ref, l);
        });
    }
}

package org.layerlens.app;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;

import org.layerlens.app.cli.Args;
import org.layerlens.app.cli.Context;
import org.layerlens.viewer.LayerLensApp;

/** Starts the JavaFX window on objects-v2 and a sample photo unless told otherwise. */
final class GuiLauncher {
    private GuiLauncher() {
    }

    static int launch(Args a) throws Exception {
        LayerLensApp.Options o = options(a);
        // start ND4J and read the model while JavaFX starts: the first window comes up ~1.5 s sooner
        Thread early = new Thread(() -> {
            try {
                ModelRef.load(o.modelRef(), o.labels());
            } catch (Exception ignored) {
                // the window reports it when it loads the model itself
            }
        }, "layerlens-preload");
        early.setDaemon(true);
        early.start();
        return LayerLensApp.launch(o, ModelRef::load);
    }

    /**
     * What the window opens: on a first start (no --model) the real-photo detector, objects-v2, on a
     * sample photo with two classes; with --model and no --image, the shapes scene as before.
     */
    static LayerLensApp.Options options(Args a) throws Args.UsageException, IOException {
        a.allowOnly(Set.of("model", "labels", "image", "layer", "snapshot", "measure", "threads"));
        String model = a.get("model", ModelRef.OBJECTS_V2);
        Path photo = ModelRef.sampleImage(ModelRef.DEFAULT_PHOTO);
        Path image = a.get("image") != null ? Paths.get(a.get("image"))
                : model.equals(ModelRef.OBJECTS_V2) && photo != null ? photo : ModelRef.defaultImage();
        Path labels = a.get("labels") == null ? null : Paths.get(a.get("labels"));
        Path snapshot = a.get("snapshot") == null ? null : Paths.get(a.get("snapshot"));
        List<Path> measure = a.get("measure") == null ? null : Context.images(a.all("measure"));
        return new LayerLensApp.Options(model, labels, image, a.get("layer"), snapshot, measure);
    }
}

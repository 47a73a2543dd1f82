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
        return LayerLensApp.launch(o, ModelRef::load);
    }
}

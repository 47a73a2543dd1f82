package org.layerlens.app;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.layerlens.app.cli.Args;
import org.layerlens.app.cli.Context;
import org.layerlens.engine.api.Box;
import org.layerlens.engine.api.Model;
import org.layerlens.viewer.CompareSource;
import org.layerlens.viewer.InspectorViewModel;
import org.layerlens.viewer.LayerLensApp;
import org.layerlens.viewer.Settings;

/** Starts the JavaFX window: objects-v2 on a sample photo unless told otherwise. */
final class GuiLauncher {
    private GuiLauncher() {
    }

    static int launch(Args a) throws Exception {
        LayerLensApp.Options o = options(a);
        String display = missingDisplay();
        if (display != null) {
            throw new IOException(display);
        }
        InspectorViewModel.ModelLoader loader = ModelRef::load;
        if (o.layer() != null) {
            // a --layer the model lacks is a usage error: one line before any window opens
            Model m = ModelRef.load(o.modelRef(), o.labels());
            if (m.tree().find(o.layer()) == null) {
                throw new Args.UsageException(LayerLensApp.unknownLayer(o.layer(), m));
            }
            loader = first(m, o.modelRef(), o.labels());
        } else {
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
        }
        return LayerLensApp.launch(o, loader);
    }

    /**
     * What the window opens: on a first start (no --model) the real-photo detector, objects-v2, on a
     * sample photo with two classes; with --model and no --image, the shapes scene.
     */
    static LayerLensApp.Options options(Args a) throws Args.UsageException, IOException {
        a.allowOnly(Set.of("model", "labels", "image", "layer", "snapshot", "measure", "threads", "video", "tab",
                "channel", "overlay", "detection", "compare", "dataset", "box", "priors", "class", "layer-map",
                "coverage"), Set.of("measure"));
        String model = a.get("model", ModelRef.OBJECTS_V2);
        Path photo = ModelRef.sampleImage(ModelRef.DEFAULT_PHOTO);
        Path image = a.get("image") != null ? Paths.get(a.get("image"))
                : model.equals(ModelRef.OBJECTS_V2) && photo != null ? photo : ModelRef.defaultImage();
        Path labels = a.get("labels") == null ? null : Paths.get(a.get("labels"));
        Path snapshot = a.get("snapshot") == null ? null : Paths.get(a.get("snapshot"));
        List<Path> measure = a.get("measure") == null ? null : Context.images(a.all("measure"), w -> System.err.println("layerlens: warning: " + w));
        Path video = a.get("video") == null ? null : Paths.get(a.get("video"));
        String tab = a.get("tab");
        if (tab != null && !Set.of("channels", "block", "explain", "class-maps", "compare", "dataset")
                .contains(tab.toLowerCase(Locale.ROOT))) {
            throw new Args.UsageException("--tab is channels, block, explain, class-maps, compare or dataset, not '"
                    + tab + "'");
        }
        LayerLensApp.setAnalysis(analysis(a));
        if (a.get("threads") == null) {
            Settings.shared().applyStored(); // the window's Tools ▸ Settings, unless --threads says otherwise
        }
        LayerLensApp.Look look = new LayerLensApp.Look(tab,
                a.get("channel") == null ? null : a.getInt("channel", 0, 0),
                a.get("overlay") == null ? null : a.getFraction("overlay", 0.55),
                a.get("detection") == null ? null : a.getInt("detection", 1, 1), explainLook(a));
        return new LayerLensApp.Options(model, labels, image, a.get("layer"), snapshot, measure, video, look);
    }

    /** --compare SPEC (a model, mirrored, darker:F, jpeg:Q, image:FILE, int8-per-channel:CAL) and --dataset DIR. */
    private static LayerLensApp.Analysis analysis(Args a) throws Args.UsageException, IOException {
        CompareSource compare = null;
        if (a.get("compare") != null) {
            try {
                compare = CompareSource.parse(a.get("compare"));
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException(e.getMessage());
            }
        }
        if (compare instanceof CompareSource.Int8File f) {
            // read once here so that a damaged table is one line and exit 1, as a bad model is, rather
            // than a failed pane in a window (and a snapshot) that exits 0; the window reads it again
            org.layerlens.engine.analysis.Calibration.read(f.calibration(), f.range());
        }
        Path dataset = a.get("dataset") == null ? null : Paths.get(a.get("dataset"));
        if (dataset != null && !java.nio.file.Files.isDirectory(dataset)) {
            throw new Args.UsageException("--dataset " + dataset + ": not a folder");
        }
        return new LayerLensApp.Analysis(compare, dataset);
    }

    /** --box, --priors, --class, --layer-map and --coverage: what the explain views show. */
    private static LayerLensApp.ExplainLook explainLook(Args a) throws Args.UsageException {
        Box box = null;
        if (a.get("box") != null) {
            try {
                box = Box.parse(a.get("box"));
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException("--box: " + e.getMessage());
            }
        }
        String map = a.get("layer-map");
        if (map != null && !Set.of("mean", "eigencam").contains(map.toLowerCase(Locale.ROOT))) {
            throw new Args.UsageException("--layer-map is mean or eigencam, not '" + map + "'");
        }
        return new LayerLensApp.ExplainLook(box, a.get("priors") == null ? null : a.getInt("priors", 0, 0),
                a.get("class"), map, a.get("coverage") == null ? null : Paths.get(a.get("coverage")));
    }

    /** A loader that hands out a model already read for its first request, and reads the rest. */
    private static InspectorViewModel.ModelLoader first(Model loaded, String ref, Path labels) {
        return (r, l) -> r.equals(ref) && java.util.Objects.equals(l, labels) ? loaded : ModelRef.load(r, l);
    }

    /**
     * Why no window can open here, or null: on Linux and other X11 systems JavaFX needs $DISPLAY
     * (or Wayland's); without one it fails deep inside GTK. macOS and Windows always have a screen;
     * the tests' headless Monocle platform needs none.
     */
    static String missingDisplay() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("win") || os.contains("mac") || System.getProperty("glass.platform") != null) {
            return null;
        }
        String x = System.getenv("DISPLAY");
        String w = System.getenv("WAYLAND_DISPLAY");
        if ((x == null || x.isBlank()) && (w == null || w.isBlank())) {
            return "no display to open the window on (DISPLAY is not set); for --snapshot or --measure without a "
                    + "screen, run it under a virtual one: xvfb-run -a java -jar layerlens.jar --snapshot OUT.png";
        }
        return null;
    }
}

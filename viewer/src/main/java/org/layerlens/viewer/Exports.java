package org.layerlens.viewer;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.layerlens.engine.ShapeTrail;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.DetectionsJson;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.api.ModuleEvent;
import org.layerlens.engine.api.ModuleInfo;
import org.layerlens.engine.image.Heatmaps;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.io.AtomicFiles;
import org.layerlens.engine.io.Npy;
import org.layerlens.engine.nn.Module;

/**
 * The Export menu's commands. Each takes what it writes when it is asked (the selected module's
 * data, the detections shown, the gallery's order and colours), writes on a worker, whole or not
 * at all ({@link AtomicFiles}: a disk that filled up left half a file, over the one the user chose
 * to replace), then adds a notice naming the file, or reports the failure as a dialog. Each returns the written file's
 * future (tests wait on it); a command with nothing to export returns null.
 */
public final class Exports {
    private final InspectorViewModel vm;
    private final InspectorViewModel.Services services;

    Exports(InspectorViewModel vm, InspectorViewModel.Services services) {
        this.vm = vm;
        this.services = services;
    }

    private CompletableFuture<Path> write(Path f, AtomicFiles.Writer w) {
        return onWorker(vm, services, f, w, cause -> vm.fail("Writing " + f, cause));
    }

    /**
     * Writes {@code f} on a worker, whole or not at all ({@link AtomicFiles}); then, on the UI
     * thread, a notice "Wrote f", or {@code failed} with the cause. The window's exports and the
     * Dataset tab's share it; they differ in what a failure does to the status line.
     */
    static CompletableFuture<Path> onWorker(InspectorViewModel vm, InspectorViewModel.Services services, Path f,
                                            AtomicFiles.Writer w, java.util.function.Consumer<Throwable> failed) {
        CompletableFuture<Path> done = CompletableFuture.supplyAsync(() -> {
            try {
                AtomicFiles.write(f, w);
                return f;
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }, services.worker());
        done.whenComplete((p, t) -> services.ui().execute(() -> {
            if (t == null) {
                vm.notice(Notice.info("Wrote " + p));
            } else {
                failed.accept(t instanceof CompletionException && t.getCause() != null ? t.getCause() : t);
            }
        }));
        return done;
    }

    private LayerData selected() {
        LayerViewModel.LayerResult r = vm.layer().layerProperty().get();
        return r == null ? null : r.data();
    }

    /** The selected module's output as a float32 {@code .npy}, PyTorch's NCHW order. */
    public CompletableFuture<Path> npy(Path f) {
        LayerData d = selected();
        if (d == null) {
            return null;
        }
        return write(f, tmp -> Npy.write(tmp, d.chw(), new long[] {1, d.channels, d.height, d.width}));
    }

    /** The selected channel's heatmap at the map's resolution, as PNG. */
    public CompletableFuture<Path> heatmap(Path f) {
        LayerData d = selected();
        if (d == null) {
            return null;
        }
        int c = Math.max(0, vm.layer().selectedChannelProperty().get());
        Heatmaps.ColorMap cm = vm.layer().colorMapProperty().get();
        Heatmaps.Normalise n = vm.layer().normaliseProperty().get();
        return write(f, tmp -> Heatmaps.write(tmp, Heatmaps.rgb(d, c, cm, n, d.width, d.height), d.width, d.height));
    }

    /** Every channel of the selected module in the gallery's order, as one PNG grid. */
    public CompletableFuture<Path> gallery(Path f) {
        LayerData d = selected();
        if (d == null) {
            return null;
        }
        List<Integer> order = List.copyOf(vm.layer().channels());
        Heatmaps.ColorMap cm = vm.layer().colorMapProperty().get();
        Heatmaps.Normalise n = vm.layer().normaliseProperty().get();
        return write(f, tmp -> writeGallery(tmp, d, order, cm, n));
    }

    static void writeGallery(Path f, LayerData d, List<Integer> order, Heatmaps.ColorMap cm, Heatmaps.Normalise n)
            throws IOException {
        int cols = (int) Math.ceil(Math.sqrt(order.size()));
        int rows = (int) Math.ceil(order.size() / (double) cols);
        int cw = d.width + 2;
        int ch = d.height + 2;
        int w = cols * cw;
        int h = rows * ch;
        byte[] out = new byte[w * h * 3];
        for (int k = 0; k < order.size(); k++) {
            byte[] rgb = Heatmaps.rgb(d, order.get(k), cm, n, d.width, d.height);
            int ox = (k % cols) * cw + 1;
            int oy = (k / cols) * ch + 1;
            for (int y = 0; y < d.height; y++) {
                System.arraycopy(rgb, y * d.width * 3, out, ((oy + y) * w + ox) * 3, d.width * 3);
            }
        }
        Heatmaps.write(f, out, w, h);
    }

    /** The detections shown (threshold, IoU and class filter applied) in the CLI's JSON shape. */
    public CompletableFuture<Path> detections(Path f) {
        LoadedImage img = vm.imageProperty().get();
        if (img == null || vm.inspectionProperty().get() == null) {
            return null;
        }
        List<Detection> shown = List.copyOf(vm.detections());
        return write(f, tmp -> Files.writeString(tmp, DetectionsJson.toJson(img, shown), StandardCharsets.UTF_8));
    }

    /** One row per module: path, type, output shape, parameters, multiply-adds, receptive field, ms, head source. */
    public CompletableFuture<Path> summary(Path f) {
        Model m = vm.modelProperty().get();
        ModelFacts facts = vm.factsProperty().get();
        if (m == null || facts == null) {
            return null;
        }
        Inspection ins = vm.inspectionProperty().get();
        Map<String, ModuleEvent> events = ins == null ? Map.of() : new LinkedHashMap<>(ins.events());
        return write(f, tmp -> {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write("path,type,output_hwc,parameters,multiply_adds,receptive_field,ms,head_source\n");
                for (Module mod : m.tree().modules()) {
                    ModuleEvent e = events.get(mod.path());
                    ModuleInfo i = facts.get(mod.path());
                    w.write(String.format(Locale.ROOT, "%s,%s,%s,%d,%d,%s,%s,%s%n", mod.path(), mod.typeName(),
                            e == null ? "" : ShapeTrail.hwc(e.outputShape()), mod.parameterCount(),
                            i == null ? 0 : i.multiplyAdds(), i == null ? "" : Format.field(i),
                            e == null ? "" : e.millis(3),
                            m.tree().sourcePaths().contains(mod.path())));
                }
            }
        });
    }
}

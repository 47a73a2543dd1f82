package org.layerlens.viewer;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.layerlens.engine.ShapeTrail;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.api.ModuleEvent;
import org.layerlens.engine.image.Heatmaps;
import org.layerlens.viewer.jobs.JobLane;

/**
 * The selected module's output: its data, statistics, histogram and channel order (read from the
 * inspection on a worker whenever the module or the result changes), the channels in the
 * gallery's order, the selected channel, and that channel's heatmap (for the overlay on the image
 * and the channel window), all computed off the JavaFX thread.
 */
public final class LayerViewModel {
    /** How the gallery orders channels. */
    public enum Order {
        INDEX("by index"), ACTIVATION("by activation");

        private final String label;

        Order(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * The selected module's output; {@code data} is null for a module with no output of its own
     * (a ModuleList, the root). {@code byActivation}: channel indices, strongest mean first.
     */
    public record LayerResult(String path, ModuleEvent event, LayerData data, LayerData.Stats stats,
                              long[] histogram, Integer[] byActivation, Inspection source) {
        /** A map of one value per channel (1x1 maps, flattened outputs of one row): values, not pictures. */
        public boolean pointLike() {
            return data != null && data.plane() == 1;
        }

        /** First header line: the module's path (the root's type for the root). */
        public String title() {
            return path.isEmpty() ? source.model().tree().rootName() : path;
        }

        /** Second header line: type, shape and channel count, or why there is nothing to show. */
        public String subtitle() {
            if (data == null) {
                return path.isEmpty() ? "the whole network; outputs: scores, boxes" : "no output of its own";
            }
            return event.type() + "  ·  " + ShapeTrail.hwc(event.outputShape()) + "  ·  " + data.channels
                    + " channels" + (pointLike() ? " of one value each" : "");
        }
    }

    /** One channel's heatmap at the map's own resolution. */
    public record Heat(String path, int channel, Rgb rgb, LayerData data) {
    }

    private final InspectorViewModel vm;
    private final InspectorViewModel.Services services;
    private final JobLane lane;
    private final JobLane heatLane;
    private final ReadOnlyObjectWrapper<LayerResult> layer = new ReadOnlyObjectWrapper<>();
    private final ObservableList<Integer> channels = FXCollections.observableArrayList();
    private final ReadOnlyIntegerWrapper selectedChannel = new ReadOnlyIntegerWrapper(-1);
    private final ReadOnlyObjectWrapper<Heat> heat = new ReadOnlyObjectWrapper<>();
    private final ObjectProperty<Heatmaps.ColorMap> colorMap = new SimpleObjectProperty<>(Heatmaps.ColorMap.VIRIDIS);
    private final ObjectProperty<Heatmaps.Normalise> normalise = new SimpleObjectProperty<>(Heatmaps.Normalise.CHANNEL);
    private final ObjectProperty<Order> order = new SimpleObjectProperty<>(Order.INDEX);
    private final BooleanProperty overlay = new SimpleBooleanProperty(false);
    private final DoubleProperty overlayOpacity = new SimpleDoubleProperty(0.55);

    LayerViewModel(InspectorViewModel vm, InspectorViewModel.Services services) {
        this.vm = vm;
        this.services = services;
        this.lane = new JobLane("layer", services.worker(), services.ui());
        this.heatLane = new JobLane("heatmap", services.worker(), services.ui());
        vm.resultProperty().addListener((o, a, b) -> reload());
        vm.selectedPathProperty().addListener((o, a, b) -> reload());
        order.addListener((o, a, b) -> reorder());
        colorMap.addListener((o, a, b) -> reheat());
        normalise.addListener((o, a, b) -> reheat());
    }

    public ReadOnlyObjectProperty<LayerResult> layerProperty() {
        return layer.getReadOnlyProperty();
    }

    /** Channel indices in the gallery's order. */
    public ObservableList<Integer> channels() {
        return channels;
    }

    public ReadOnlyIntegerProperty selectedChannelProperty() {
        return selectedChannel.getReadOnlyProperty();
    }

    /** The selected channel's heatmap (null while none is selected). */
    public ReadOnlyObjectProperty<Heat> heatProperty() {
        return heat.getReadOnlyProperty();
    }

    public ObjectProperty<Heatmaps.ColorMap> colorMapProperty() {
        return colorMap;
    }

    public ObjectProperty<Heatmaps.Normalise> normaliseProperty() {
        return normalise;
    }

    public ObjectProperty<Order> orderProperty() {
        return order;
    }

    /** Whether the selected channel is drawn over the image. */
    public BooleanProperty overlayProperty() {
        return overlay;
    }

    public DoubleProperty overlayOpacityProperty() {
        return overlayOpacity;
    }

    /** Whether the module's data or the heatmap is still being computed. */
    public ReadOnlyBooleanProperty busyProperty() {
        return lane.runningProperty();
    }

    public boolean busy() {
        return lane.runningProperty().get() || heatLane.runningProperty().get();
    }

    /** Selects channel {@code c} of the shown module (ignored when it has no such channel). */
    public void selectChannel(int c) {
        LayerResult r = layer.get();
        if (r == null || r.data() == null || c < 0 || c >= r.data().channels) {
            return;
        }
        selectedChannel.set(c);
        reheat();
    }

    /** Moves the selection by {@code step} places in the gallery's order. */
    public void stepChannel(int step) {
        if (channels.isEmpty()) {
            return;
        }
        int pos = channels.indexOf(selectedChannel.get());
        pos = Math.max(0, Math.min(channels.size() - 1, pos < 0 ? 0 : pos + step));
        selectChannel(channels.get(pos));
    }

    /**
     * One channel as a {@code w x h} heatmap with the current colour map and normalisation, on a
     * worker (gallery thumbnails, exports).
     */
    public CompletableFuture<Rgb> heatmap(LayerData d, int c, int w, int h) {
        return heatmap(d, c, w, h, normalise.get());
    }

    /** The same with another normalisation (a 1x1 map's colour only means something across the layer). */
    public CompletableFuture<Rgb> heatmap(LayerData d, int c, int w, int h, Heatmaps.Normalise n) {
        Heatmaps.ColorMap cm = colorMap.get();
        return CompletableFuture.supplyAsync(() -> new Rgb(Heatmaps.rgb(d, c, cm, n, w, h), w, h), services.worker());
    }

    private void reload() {
        RunResult r = vm.resultProperty().get();
        String path = vm.selectedPathProperty().get();
        if (r == null || r.inspection() == null) {
            lane.cancel();
            layer.set(null);
            channels.clear();
            clearHeat();
            return;
        }
        Inspection ins = r.inspection();
        LayerResult was = layer.get();
        lane.submit(job -> {
            ModuleEvent e = ins.event(path);
            LayerData d = e == null ? null : ins.layer(path);
            if (d == null) {
                return new LayerResult(path, e, null, null, null, null, ins);
            }
            job.check();
            LayerData.Stats s = d.stats();
            long[] hist = d.histogram(48);
            return new LayerResult(path, e, d, s, hist, d.channelsByActivation(), ins);
        }, res -> show(res, was), res -> { }, () -> { }, t -> {
            if (!(t instanceof IllegalStateException)) { // a closed inspection: a newer one is on its way
                vm.fail("Reading " + path, t);
            }
        });
    }

    private void show(LayerResult r, LayerResult was) {
        layer.set(r);
        reorder();
        if (r.data() == null) {
            selectedChannel.set(-1);
            clearHeat();
            return;
        }
        boolean sameModule = was != null && was.path().equals(r.path()) && was.data() != null
                && was.data().channels == r.data().channels;
        int c = selectedChannel.get();
        // a new frame of the same module keeps the channel; another module starts on its strongest channel
        selectedChannel.set(sameModule && c >= 0 && c < r.data().channels ? c : r.byActivation()[0]);
        reheat();
    }

    private void reorder() {
        LayerResult r = layer.get();
        if (r == null || r.data() == null) {
            channels.clear();
            return;
        }
        Integer[] idx = r.byActivation().clone();
        if (order.get() == Order.INDEX) {
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
        }
        channels.setAll(List.of(idx));
    }

    private void reheat() {
        LayerResult r = layer.get();
        int c = selectedChannel.get();
        if (r == null || r.data() == null || c < 0) {
            clearHeat();
            return;
        }
        LayerData d = r.data();
        Heatmaps.ColorMap cm = colorMap.get();
        Heatmaps.Normalise n = normalise.get();
        heatLane.submit(job -> new Heat(r.path(), c, new Rgb(Heatmaps.rgb(d, c, cm, n, d.width, d.height), d.width,
                d.height), d), this::setHeat, h -> { }, () -> { }, t -> vm.fail("Heatmap of " + r.path(), t));
    }

    private void setHeat(Heat h) {
        heat.set(h);
    }

    /**
     * No heatmap, and none to come: the previous module's heatmap job, if still running, is
     * cancelled, or it would set its heatmap over the module now shown (quick successive clicks
     * from a module to one without an output of its own showed the first one's heatmap).
     */
    private void clearHeat() {
        heatLane.cancel();
        heat.set(null);
    }

    /** The value of the selected channel at a map cell, for the "value under the cursor" readouts. */
    public static String valueText(LayerData d, int c, int x, int y) {
        return String.format(Locale.ROOT, "(x %d, y %d) = %.5f", x, y, d.value(c, y, x));
    }

    /** The model whose module is shown (null before the first result). */
    public Model model() {
        LayerResult r = layer.get();
        return r == null ? null : r.source().model();
    }

    void close() {
        lane.close();
        heatLane.close();
        layer.set(null);
        channels.clear();
        heat.set(null);
    }
}

package org.layerlens.viewer;

import java.util.Arrays;
import java.util.Locale;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.image.Image;
import org.layerlens.engine.analysis.Mirror;
import org.layerlens.engine.analysis.ModuleComparison;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.image.Heatmaps;
import org.layerlens.viewer.jobs.JobLane;

/**
 * The selected module of a comparison in both runs, computed on a worker whenever the
 * comparison, the module or the channel changes: A's map, B's map (flipped back when B saw the
 * mirror image), {@code |A - B|} of every channel as one picture on one colour scale (inferno,
 * 0 to the layer's largest difference, as the CLI's {@code --diff-out}), and the selected
 * channel's three tiles, A and B on one scale so that they can be compared by eye.
 */
public final class DifferenceViewModel {
    /** Tiles of the difference gallery: this size at most, the map's aspect kept. */
    public static final int THUMB = 48;
    /** The selected channel's tiles: this size at most. */
    public static final int TILE = 112;
    private static final int GAP = 2;
    private static final int COLUMNS = 16;

    /**
     * The selected module in both runs, or why not ({@code why} non-null: no counterpart, no
     * output of its own). {@code mosaic} holds channel {@code c}'s difference tile at
     * {@link #tileX}/{@link #tileY}, {@code tileW x tileH} pixels.
     */
    public record Layer(String path, CompareViewModel.Result source, LayerData a, LayerData b, LayerData diff,
                        float diffMax, int tileW, int tileH, Rgb mosaic, Image mosaicImage, String why) {
        public int tileX(int c) {
            return (c % COLUMNS) * (tileW + GAP);
        }

        public int tileY(int c) {
            return (c / COLUMNS) * (tileH + GAP);
        }

        public int channels() {
            return diff == null ? 0 : diff.channels;
        }
    }

    /** The selected channel: A and B over one range {@code [lo, hi]}, and its difference over the layer's. */
    public record Tiles(String path, int channel, Rgb a, Rgb b, Rgb diff, Image imageA, Image imageB, Image imageDiff,
                        float lo, float hi, float channelDiffMax, float layerDiffMax) {
        /** One line under the tiles. */
        public String caption() {
            return String.format(Locale.ROOT, "channel %d: A and B on [%.3g, %.3g]; max |A−B| %.3g here, %.3g in the "
                    + "layer", channel, lo, hi, channelDiffMax, layerDiffMax);
        }
    }

    private final InspectorViewModel vm;
    private final CompareViewModel compare;
    private final InspectorViewModel.Services services;
    private final JobLane layerLane;
    private final JobLane tileLane;
    private final ReadOnlyObjectWrapper<Layer> layer = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Tiles> tiles = new ReadOnlyObjectWrapper<>();
    /** A module whose channel of largest difference is to be selected once both its views are shown. */
    private String worstWanted;

    DifferenceViewModel(InspectorViewModel vm, CompareViewModel compare, InspectorViewModel.Services services) {
        this.vm = vm;
        this.compare = compare;
        this.services = services;
        this.layerLane = new JobLane("difference", services.worker(), services.ui());
        this.tileLane = new JobLane("difference tiles", services.worker(), services.ui());
        compare.resultProperty().addListener((o, a, b) -> reload());
        vm.selectedPathProperty().addListener((o, a, b) -> reload());
        vm.layer().selectedChannelProperty().addListener((o, a, b) -> retile());
        vm.layer().colorMapProperty().addListener((o, a, b) -> retile());
        vm.layer().layerProperty().addListener((o, a, b) -> selectWorst());
    }

    /**
     * Selects the channel of {@code path} that differs most, once the module is shown (the
     * window starts a module on its strongest channel, which may not have moved at all).
     */
    public void selectLargestDifference(String path) {
        worstWanted = path;
        selectWorst();
    }

    private void selectWorst() {
        Layer l = layer.get();
        LayerViewModel.LayerResult shown = vm.layer().layerProperty().get();
        if (worstWanted == null || l == null || shown == null || !l.path().equals(worstWanted)
                || !shown.path().equals(worstWanted)) {
            return;
        }
        worstWanted = null;
        if (l.diff() != null) {
            int best = 0;
            for (int c = 1; c < l.channels(); c++) {
                if (l.diff().channelMax(c) > l.diff().channelMax(best)) {
                    best = c;
                }
            }
            vm.layer().selectChannel(best);
        }
    }

    public ReadOnlyObjectProperty<Layer> layerProperty() {
        return layer.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Tiles> tilesProperty() {
        return tiles.getReadOnlyProperty();
    }

    public boolean busy() {
        return layerLane.runningProperty().get() || tileLane.runningProperty().get();
    }

    private void reload() {
        CompareViewModel.Result r = compare.resultProperty().get();
        String path = vm.selectedPathProperty().get();
        if (r == null) {
            layerLane.cancel();
            tileLane.cancel();
            layer.set(null);
            tiles.set(null);
            return;
        }
        layerLane.submit(job -> compute(job, r, path), l -> {
            layer.set(l);
            retile();
            selectWorst();
        }, l -> { }, () -> { }, this::failed);
    }

    private Layer compute(JobLane.Job job, CompareViewModel.Result r, String path) {
        ModuleComparison m = r.comparison().module(path);
        if (m == null || !m.comparable()) {
            String why = m != null ? m.reason() : r.comparison().onlyInA().contains(path) ? "only in A" : path.isEmpty()
                    ? "the whole network: pick a module" : "no output of its own";
            return new Layer(path, r, null, null, null, 0, 0, 0, null, null, why);
        }
        LayerData a = r.a().layer(path);
        LayerData b = r.b().layer(path);
        job.check();
        if (r.mirrored()) {
            b = Mirror.layer(b);
        }
        float[] d = new float[a.values.length];
        float max = 0;
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.abs(a.values[i] - b.values[i]);
            max = Math.max(max, d[i]);
        }
        LayerData diff = new LayerData(path, a.channels, a.height, a.width, d, a.flat);
        double s = (double) THUMB / Math.max(a.width, a.height);
        int tw = Math.max(1, (int) Math.round(a.width * s));
        int th = Math.max(1, (int) Math.round(a.height * s));
        int cols = Math.min(COLUMNS, diff.channels);
        int rows = (diff.channels + COLUMNS - 1) / COLUMNS;
        int w = cols * (tw + GAP) - GAP;
        int h = rows * (th + GAP) - GAP;
        byte[] px = new byte[w * h * 3];
        Arrays.fill(px, (byte) 0x80);
        Layer shape = new Layer(path, r, a, b, diff, max, tw, th, null, null, null);
        for (int c = 0; c < diff.channels; c++) {
            if (c % 64 == 0) {
                job.check();
            }
            byte[] tile = Heatmaps.rgb(diff, c, Heatmaps.ColorMap.INFERNO, 0f, max, tw, th);
            int x0 = shape.tileX(c);
            int y0 = shape.tileY(c);
            for (int y = 0; y < th; y++) {
                System.arraycopy(tile, y * tw * 3, px, ((y0 + y) * w + x0) * 3, tw * 3);
            }
        }
        Rgb mosaic = new Rgb(px, w, h);
        return new Layer(path, r, a, b, diff, max, tw, th, mosaic, services.pictures().apply(mosaic), null);
    }

    private void retile() {
        Layer l = layer.get();
        int c = vm.layer().selectedChannelProperty().get();
        if (l == null || l.diff() == null || c < 0 || c >= l.channels()) {
            tileLane.cancel();
            tiles.set(null);
            return;
        }
        Heatmaps.ColorMap cm = vm.layer().colorMapProperty().get();
        tileLane.submit(job -> tiles(l, c, cm), tiles::set, t -> { }, () -> { }, this::failed);
    }

    private Tiles tiles(Layer l, int c, Heatmaps.ColorMap cm) {
        float lo = Math.min(l.a().channelMin(c), l.b().channelMin(c));
        float hi = Math.max(l.a().channelMax(c), l.b().channelMax(c));
        double s = (double) TILE / Math.max(l.a().width, l.a().height);
        int w = Math.max(1, (int) Math.round(l.a().width * s));
        int h = Math.max(1, (int) Math.round(l.a().height * s));
        Rgb a = new Rgb(Heatmaps.rgb(l.a(), c, cm, lo, hi, w, h), w, h);
        Rgb b = new Rgb(Heatmaps.rgb(l.b(), c, cm, lo, hi, w, h), w, h);
        Rgb d = new Rgb(Heatmaps.rgb(l.diff(), c, Heatmaps.ColorMap.INFERNO, 0f, l.diffMax(), w, h), w, h);
        var pic = services.pictures();
        return new Tiles(l.path(), c, a, b, d, pic.apply(a), pic.apply(b), pic.apply(d), lo, hi,
                l.diff().channelMax(c), l.diffMax());
    }

    private void failed(Throwable t) {
        if (!(t instanceof IllegalStateException)) { // a closed inspection: a newer comparison is on its way
            vm.errorProperty().set(null);
            vm.errorProperty().set(InspectorViewModel.message("Difference of " + vm.selectedPathProperty().get(), t));
        }
    }

    void close() {
        layerLane.close();
        tileLane.close();
        layer.set(null);
        tiles.set(null);
    }
}

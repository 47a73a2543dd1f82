package org.layerlens.viewer;

import java.util.ArrayList;
import java.util.List;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.image.Heatmaps;
import org.layerlens.viewer.jobs.JobLane;

/**
 * The block around the selected module ({@link BlockSteps}) with a thumbnail of each of its
 * tensors (the mean over channels, so a tensor of 576 channels is still one picture), computed
 * on a worker whenever the selection or the result changes.
 */
public final class BlockViewModel {
    /** Thumbnail size (the longer side), in pixels. */
    public static final int THUMB = 56;

    /** A block and one thumbnail per tensor (null where the tensor is no module's whole output). */
    public record BlockView(BlockSteps.Block block, List<Rgb> thumbs) {
    }

    private final InspectorViewModel vm;
    private final JobLane lane;
    private final ReadOnlyObjectWrapper<BlockView> view = new ReadOnlyObjectWrapper<>();

    BlockViewModel(InspectorViewModel vm, InspectorViewModel.Services services) {
        this.vm = vm;
        this.lane = new JobLane("block", services.worker(), services.ui());
        vm.resultProperty().addListener((o, a, b) -> reload());
        vm.selectedPathProperty().addListener((o, a, b) -> reload());
    }

    public ReadOnlyObjectProperty<BlockView> viewProperty() {
        return view.getReadOnlyProperty();
    }

    public boolean busy() {
        return lane.runningProperty().get();
    }

    private void reload() {
        RunResult r = vm.resultProperty().get();
        String path = vm.selectedPathProperty().get();
        if (r == null || r.model().tree().find(path) == null) {
            lane.cancel();
            view.set(null);
            return;
        }
        Inspection ins = r.inspection();
        lane.submit(job -> {
            BlockSteps.Block b = BlockSteps.around(r.model().graph(), path);
            List<Rgb> thumbs = new ArrayList<>();
            for (BlockSteps.Tensor t : b.tensors()) {
                job.check();
                thumbs.add(ins == null ? null : thumb(ins, t));
            }
            return new BlockView(b, thumbs);
        }, view::set, v -> { }, () -> { }, t -> {
            if (!(t instanceof IllegalStateException)) { // a closed inspection: a newer one is on its way
                vm.fail("Block of " + path, t);
            }
        });
    }

    /** The mean over channels of a tensor, as a viridis picture at most {@link #THUMB} a side. */
    static Rgb thumb(Inspection ins, BlockSteps.Tensor t) {
        if (t.module() == null || !t.value().featureMap()) {
            return null;
        }
        LayerData d = t.module().equals("input") ? ins.input() : ins.layer(t.module());
        if (d == null) {
            return null;
        }
        LayerData mean = meanOverChannels(d);
        double s = (double) THUMB / Math.max(mean.width, mean.height);
        int w = Math.max(1, (int) Math.round(mean.width * s));
        int h = Math.max(1, (int) Math.round(mean.height * s));
        return new Rgb(Heatmaps.rgb(mean, 0, Heatmaps.ColorMap.VIRIDIS, Heatmaps.Normalise.CHANNEL, w, h), w, h);
    }

    static LayerData meanOverChannels(LayerData d) {
        float[] out = new float[d.plane()];
        for (int i = 0; i < out.length; i++) {
            double sum = 0;
            for (int c = 0, k = i * d.channels; c < d.channels; c++, k++) {
                sum += d.values[k];
            }
            out[i] = (float) (sum / d.channels);
        }
        return new LayerData(d.path + " (mean)", 1, d.height, d.width, out);
    }

    void close() {
        lane.close();
        view.set(null);
    }
}

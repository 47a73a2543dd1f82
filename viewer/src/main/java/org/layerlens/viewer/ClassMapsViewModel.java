package org.layerlens.viewer;

import java.util.ArrayList;
import java.util.List;

import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.scene.image.Image;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.DetectorOutput;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.image.Heatmaps;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.ssd.HeadLayout;
import org.layerlens.viewer.jobs.JobLane;

/**
 * Where the heads look for one class: for each head, each cell's score for the class (the best
 * of its anchors, {@link DetectorOutput#classMap}) as a heatmap over the image, all heads side by
 * side, so that the scale at which the network looks for a class shows at a glance. The class
 * follows the selected detection, or is chosen; maps and their pictures are made on a worker.
 */
public final class ClassMapsViewModel {
    /** The side of the pictures made for the tiles (the picture is fitted into it). */
    public static final int TILE = 256;

    /**
     * One head's map: {@code rows x cols} scores (row-major), its maximum and where it is, and
     * the picture (JET, 0..1, over the image in grey; null without pictures).
     */
    public record HeadMap(int head, int rows, int cols, float[] scores, float max, int maxRow, int maxCol,
                          Rgb rgb, Image picture) {
    }

    /** The maps of one class on one pass. */
    public record Maps(int classId, String label, List<HeadMap> heads, Inspection source) {
    }

    private final InspectorViewModel vm;
    private final InspectorViewModel.Services services;
    private final JobLane lane;
    private final IntegerProperty classId = new SimpleIntegerProperty(-1);
    private final ReadOnlyObjectWrapper<Maps> maps = new ReadOnlyObjectWrapper<>();

    ClassMapsViewModel(InspectorViewModel vm, InspectorViewModel.Services services) {
        this.vm = vm;
        this.services = services;
        this.lane = new JobLane("class maps", services.worker(), services.ui());
        vm.resultProperty().addListener((o, a, r) -> {
            if (r == null || r.inspection() == null) {
                lane.cancel();
                maps.set(null);
                return;
            }
            int k = classId.get();
            int want = k < 1 || k >= r.model().classes() || a == null || a.model() != r.model()
                    ? defaultClass(r.inspection().output(), vm) : k;
            if (want != k) {
                classId.set(want); // recomputes through the listener
            } else {
                recompute();
            }
        });
        classId.addListener((o, a, k) -> recompute());
    }

    /** The class shown (an index into the model's labels; BACKGROUND is 0 and not offered). */
    public IntegerProperty classIdProperty() {
        return classId;
    }

    public ReadOnlyObjectProperty<Maps> mapsProperty() {
        return maps.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return lane.runningProperty();
    }

    /** Moves to the next (+1) or previous (-1) class, BACKGROUND left out, wrapping around. */
    public void stepClass(int direction) {
        Model m = vm.modelProperty().get();
        if (m == null || m.classes() < 2) {
            return;
        }
        int k = Math.max(1, classId.get()) - 1;
        classId.set(1 + Math.floorMod(k + direction, m.classes() - 1));
    }

    /** The best detection's class at the window's threshold, or the first class after BACKGROUND. */
    static int defaultClass(DetectorOutput out, InspectorViewModel vm) {
        // the result's own detections: the window's list is refiltered only after the result is committed
        List<Detection> d = out.detections(vm.thresholdProperty().get(), vm.iouProperty().get(),
                out.model().candidates());
        return d.stream().max((x, y) -> Float.compare(x.score(), y.score())).map(Detection::classId)
                .orElse(Math.min(1, out.classes() - 1));
    }

    private void recompute() {
        RunResult r = vm.resultProperty().get();
        int k = classId.get();
        if (r == null || r.inspection() == null || k < 0 || k >= r.model().classes()) {
            return;
        }
        Inspection ins = r.inspection();
        LoadedImage img = r.image();
        var pictures = services.pictures();
        lane.submit(job -> {
            DetectorOutput out = ins.output();
            Model m = ins.model();
            LoadedImage small = Images.fit(img, TILE);
            double[] f = m.spec().input().factors(img.width(), img.height());
            List<HeadMap> heads = new ArrayList<>();
            for (HeadLayout.Head h : m.layout().heads()) {
                job.check();
                float[] s = out.classMap(h.index(), k);
                int arg = 0;
                for (int i = 1; i < s.length; i++) {
                    if (s[i] > s[arg]) {
                        arg = i;
                    }
                }
                Rgb rgb = new Rgb(Heatmaps.overlay(small, s, h.rows(), h.cols(), f, 0f, 1f, Heatmaps.ColorMap.JET,
                        false, 0.7), small.width(), small.height());
                heads.add(new HeadMap(h.index(), h.rows(), h.cols(), s, s[arg], arg / h.cols(), arg % h.cols(), rgb,
                        pictures.apply(rgb)));
            }
            return new Maps(k, m.labels().get(k), List.copyOf(heads), ins);
        }, maps::set, x -> { }, () -> { }, t -> vm.fail("Class maps", t));
    }

    void close() {
        lane.close();
        maps.set(null);
    }
}

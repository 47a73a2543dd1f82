package org.layerlens.viewer;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.explain.LayerMaps;
import org.layerlens.viewer.jobs.JobLane;

/**
 * Where the selected module looks, over the picture: its mean activation or its Eigen-CAM map
 * ({@link LayerMaps}), computed on a worker (Eigen-CAM of a large early map takes up to a second)
 * whenever the module's data or the mode changes, and coloured JET with each cell's opacity
 * following its level, so that the picture shows through where the map is low. Eigen-CAM's
 * negative part is cut (as pytorch-grad-cam shows it); the mean is scaled from its minimum to
 * its maximum.
 */
public final class ActivationMapViewModel {
    /** What is drawn over the picture. */
    public enum Mode {
        OFF("no layer map"), MEAN("mean activation"), EIGEN_CAM("Eigen-CAM");

        private final String label;

        Mode(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * A map of the module's {@code rows x cols} grid (row-major), the range it is coloured over,
     * and its colours as ARGB (alpha = level).
     */
    public record Map(String path, Mode mode, int rows, int cols, float[] values, float lo, float hi, int[] argb) {
    }

    private final InspectorViewModel vm;
    private final JobLane lane;
    private final ObjectProperty<Mode> mode = new SimpleObjectProperty<>(Mode.OFF);
    private final DoubleProperty opacity = new SimpleDoubleProperty(0.7);
    private final ReadOnlyObjectWrapper<Map> map = new ReadOnlyObjectWrapper<>();
    private final javafx.beans.property.ReadOnlyStringWrapper note = new javafx.beans.property.ReadOnlyStringWrapper("");

    ActivationMapViewModel(InspectorViewModel vm, InspectorViewModel.Services services) {
        this.vm = vm;
        this.lane = new JobLane("layer map", services.worker(), services.ui());
        vm.layer().layerProperty().addListener((o, a, b) -> recompute());
        mode.addListener((o, a, b) -> recompute());
    }

    public ObjectProperty<Mode> modeProperty() {
        return mode;
    }

    /** Opacity of the map where it is highest (0..1). */
    public DoubleProperty opacityProperty() {
        return opacity;
    }

    /** The map shown (null while off, computing the first, or for a module with no map). */
    public ReadOnlyObjectProperty<Map> mapProperty() {
        return map.getReadOnlyProperty();
    }

    /** Why nothing is shown, or what is ("Eigen-CAM of base_net.7: 19x19"). */
    public javafx.beans.property.ReadOnlyStringProperty noteProperty() {
        return note.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return lane.runningProperty();
    }

    /** Off, mean activation, Eigen-CAM, off (M). */
    public void cycle() {
        Mode[] all = Mode.values();
        mode.set(all[(mode.get().ordinal() + 1) % all.length]);
    }

    private void recompute() {
        LayerViewModel.LayerResult r = vm.layer().layerProperty().get();
        Mode m = mode.get();
        if (m == Mode.OFF || r == null) {
            lane.cancel();
            map.set(null);
            note.set("");
            return;
        }
        LayerData d = r.data();
        if (d == null || d.flat || d.plane() == 1) {
            lane.cancel();
            map.set(null);
            note.set(r.title() + " has no spatial map");
            return;
        }
        note.set(m + " of " + r.path() + ": computing…");
        lane.submit(job -> compute(r.path(), m, d), mp -> {
            map.set(mp);
            note.set(String.format(java.util.Locale.ROOT, "%s of %s (%dx%d)", m, mp.path(), mp.rows(), mp.cols()));
        }, x -> { }, () -> { }, t -> vm.fail(m + " of " + r.path(), t));
    }

    /** The map of one module's data (worker). */
    public static Map compute(String path, Mode m, LayerData d) {
        float[] v = m == Mode.EIGEN_CAM ? LayerMaps.eigenCam(d) : LayerMaps.meanActivation(d);
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        if (m == Mode.EIGEN_CAM) {
            lo = 0; // the negative part is cut, as pytorch-grad-cam shows it
            hi = Math.max(hi, 0);
        }
        return new Map(path, m, d.height, d.width, v, lo, hi, MapColours.argb(v, lo, hi));
    }

    void close() {
        lane.close();
        map.set(null);
    }
}

package org.layerlens.viewer;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.image.Image;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.explain.AnchorCoverage;
import org.layerlens.viewer.chart.CoverageChart;
import org.layerlens.viewer.jobs.JobLane;

/**
 * "Do the priors fit the data?" for a folder of Pascal VOC annotations and the window's model
 * ({@link AnchorCoverage}): read and measured on a worker with progress and Cancel, then drawn
 * ({@link CoverageChart}, AWT, also on the worker). Files that cannot be used are skipped; one
 * warning notification lists them. A folder where nothing can be used is an error dialog.
 */
public final class CoverageViewModel {
    /** The chart's size in pixels (the CLI's {@code anchors --chart} size). */
    public static final int CHART_WIDTH = 1000;
    public static final int CHART_HEIGHT = 620;
    /** Skipped files named in the warning; the rest are counted. */
    static final int NAMED = 5;

    /** A measured folder, its chart (and the chart as a picture; null without pictures). */
    public record Coverage(AnchorCoverage.Result result, Rgb chart, Image picture) {
    }

    private final InspectorViewModel vm;
    private final InspectorViewModel.Services services;
    private final JobLane lane;
    private final ReadOnlyObjectWrapper<Coverage> coverage = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Path> folder = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");

    CoverageViewModel(InspectorViewModel vm, InspectorViewModel.Services services) {
        this.vm = vm;
        this.services = services;
        this.lane = new JobLane("anchor coverage", services.worker(), services.ui());
    }

    public ReadOnlyObjectProperty<Coverage> coverageProperty() {
        return coverage.getReadOnlyProperty();
    }

    /** The folder being (or last) measured. */
    public ReadOnlyObjectProperty<Path> folderProperty() {
        return folder.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return lane.runningProperty();
    }

    /** 0..1 while reading annotations, -1 before the first is read. */
    public ReadOnlyDoubleProperty progressProperty() {
        return lane.progressProperty();
    }

    /** One line: what is being done, what was found, or why it stopped. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Measures a folder with the window's model; false when no model is loaded yet. */
    public boolean measure(Path dir) {
        Model m = vm.modelProperty().get();
        if (m == null) {
            return false;
        }
        folder.set(dir);
        status.set("Reading the annotations in " + dir + " with " + m.name() + "…");
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        var pictures = services.pictures();
        lane.submit(job -> {
            AnchorCoverage.Result r = AnchorCoverage.read(m, dir, warnings::add,
                    (i, n) -> job.progress(i / (double) Math.max(1, n)), job::cancelled);
            job.check();
            Rgb chart = rgb(CoverageChart.render(r, CHART_WIDTH, CHART_HEIGHT));
            return new Coverage(r, chart, pictures.apply(chart));
        }, c -> {
            coverage.set(c);
            AnchorCoverage.Result r = c.result();
            status.set(String.format(Locale.ROOT, "%s on %s: %d of %d boxes (%.1f%%) in %d files have a prior at IoU "
                    + ">= %.2f%s", r.model(), dir.getFileName(), r.matched(), r.entries().size(), 100 * r.share(),
                    r.files(), r.matchThreshold(), (r.skipped().isEmpty() ? "" : "; " + r.skipped().size()
                    + " file(s) skipped") + (r.skippedBoxes().isEmpty() ? "" : "; " + r.skippedBoxes().size()
                    + " box warning(s)")));
            warn(dir, warnings, r.skippedBoxes().size());
        }, c -> { }, () -> status.set("Cancelled"), t -> {
            status.set("Failed: " + InspectorViewModel.message("Anchor coverage of " + dir, t));
            warn(dir, warnings, 0); // a folder that failed had no file measured, so no box left out of one
            vm.fail("Anchor coverage of " + dir, t);
        });
        return true;
    }

    /**
     * One notification for every file skipped and box left out (a folder of bad files is one
     * warning, not hundreds); {@code boxes} of the warnings are about boxes.
     */
    private void warn(Path dir, List<String> warnings, int boxes) {
        if (warnings.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>(warnings.subList(0, Math.min(NAMED, warnings.size())));
        if (warnings.size() > NAMED) {
            lines.add("and " + (warnings.size() - NAMED) + " more");
        }
        String what = (warnings.size() - boxes) + " annotation file(s) skipped"
                + (boxes == 0 ? "" : ", " + boxes + " box warning(s)");
        vm.notice(Notice.warning("Anchor coverage of " + dir.getFileName() + ": " + what + ":\n"
                + String.join("\n", lines)));
    }

    public void cancel() {
        lane.cancel();
    }

    /** A chart rendered by AWT as RGB bytes. */
    static Rgb rgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] b = new byte[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            b[3 * i] = (byte) (argb[i] >> 16);
            b[3 * i + 1] = (byte) (argb[i] >> 8);
            b[3 * i + 2] = (byte) argb[i];
        }
        return new Rgb(b, w, h);
    }

    void close() {
        lane.close();
    }
}

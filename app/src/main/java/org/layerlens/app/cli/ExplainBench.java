package org.layerlens.app.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.layerlens.engine.api.Box;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.DetectorOutput;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.explain.LayerMaps;
import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.ssd.HeadLayout;

/**
 * {@code bench --mode explain}: what the window pays when a user selects a detection or drags a
 * box, on one pass already run: all detections with their provenance; one selection (its class's
 * map on every head, and the prior query for its box); a dragged box's query; and Eigen-CAM and
 * the mean activation of every module with a spatial output (once each).
 */
final class ExplainBench {
    private ExplainBench() {
    }

    static void run(Context c, Model m, LoadedImage img, float[] x, int n, int warm) {
        DetectorOutput out = m.detectInput(x, img);
        double[] dets = new double[n];
        double[] select = new double[n];
        double[] query = new double[n];
        java.util.Random r = new java.util.Random(1);
        int count = 0;
        for (int i = -warm; i < n; i++) {
            long t0 = System.nanoTime();
            List<Detection> d = out.detections(0.5, m.defaultIou(), m.candidates());
            long t1 = System.nanoTime();
            if (!d.isEmpty()) {
                Detection top = d.get(i < 0 ? 0 : i % d.size());
                for (HeadLayout.Head h : m.layout().heads()) {
                    out.classMap(h.index(), top.classId());
                }
                out.query(top.box(), 5);
            }
            long t2 = System.nanoTime();
            double w = out.imageWidth() * (0.05 + 0.4 * r.nextDouble());
            double h = out.imageHeight() * (0.05 + 0.4 * r.nextDouble());
            double bx = r.nextDouble() * (out.imageWidth() - w);
            double by = r.nextDouble() * (out.imageHeight() - h);
            out.query(new Box(bx, by, bx + w, by + h), 5);
            long t3 = System.nanoTime();
            if (i >= 0) {
                dets[i] = (t1 - t0) / 1e6;
                select[i] = (t2 - t1) / 1e6;
                query[i] = (t3 - t2) / 1e6;
                count = d.size();
            }
        }
        c.out.printf(Locale.ROOT, "model %s, image %s (%dx%d), %d iterations after %d warm-up, on one pass already run%n",
                m.name(), img.name(), img.originalWidth(), img.originalHeight(), n, warm);
        c.out.printf(Locale.ROOT, "all %d detections with provenance: median %.3f ms (p90 %.3f, max %.3f)%n", count,
                BenchCommand.q(dets, 0.5), BenchCommand.q(dets, 0.9), BenchCommand.q(dets, 1));
        c.out.printf(Locale.ROOT, "select one (class map on %d heads + prior query): median %.3f ms (p90 %.3f, max %.3f)%n",
                m.layout().heads().size(), BenchCommand.q(select, 0.5), BenchCommand.q(select, 0.9),
                BenchCommand.q(select, 1));
        c.out.printf(Locale.ROOT, "dragged box (5 best of %d priors, verdict): median %.3f ms (p90 %.3f, max %.3f)%n",
                out.priors(), BenchCommand.q(query, 0.5), BenchCommand.q(query, 0.9), BenchCommand.q(query, 1));
        // what explain adds to detect on the same pass: provenance JSON instead of the plain list
        double[] pass = new double[n];
        double[] plain = new double[n];
        double[] full = new double[n];
        com.google.gson.Gson gson = new com.google.gson.GsonBuilder().setPrettyPrinting().create();
        for (int i = -warm; i < n; i++) {
            long t0 = System.nanoTime();
            DetectorOutput o = m.detectInput(x, img);
            List<Detection> d = o.detections(0.5, m.defaultIou(), m.candidates());
            long t1 = System.nanoTime();
            String a = org.layerlens.engine.api.DetectionsJson.toJson(img, d);
            long t2 = System.nanoTime();
            String b = gson.toJson(org.layerlens.engine.api.ExplainJson.toObject(img, o, d, null));
            long t3 = System.nanoTime();
            if (i >= 0 && a.length() < b.length()) {
                pass[i] = (t1 - t0) / 1e6;
                plain[i] = (t2 - t1) / 1e6;
                full[i] = (t3 - t2) / 1e6;
            }
        }
        double p = BenchCommand.q(pass, 0.5);
        c.out.printf(Locale.ROOT, "fast pass + detections %.2f ms; then detect's JSON %.3f ms, explain's JSON %.3f ms: "
                + "explain / detect after the image is read = %.3f%n", p, BenchCommand.q(plain, 0.5),
                BenchCommand.q(full, 0.5), (p + BenchCommand.q(full, 0.5)) / (p + BenchCommand.q(plain, 0.5)));
        try (Inspection ins = m.inspectInput(x, img, null, null)) {
            List<Double> cam = new ArrayList<>();
            List<Double> mean = new ArrayList<>();
            String worst = "";
            double worstMs = 0;
            for (Graph.ModuleRun run : m.graph().modules()) {
                LayerData d = ins.layer(run.path());
                if (d == null || d.flat || run.path().isEmpty()) {
                    continue;
                }
                long t0 = System.nanoTime();
                LayerMaps.eigenCam(d);
                long t1 = System.nanoTime();
                LayerMaps.meanActivation(d);
                long t2 = System.nanoTime();
                double ms = (t1 - t0) / 1e6;
                cam.add(ms);
                mean.add((t2 - t1) / 1e6);
                if (ms > worstMs) {
                    worstMs = ms;
                    worst = run.path() + " " + d.height + "x" + d.width + "x" + d.channels;
                }
            }
            double[] cv = cam.stream().mapToDouble(Double::doubleValue).toArray();
            double[] mv = mean.stream().mapToDouble(Double::doubleValue).toArray();
            c.out.printf(Locale.ROOT, "Eigen-CAM over %d modules: median %.1f ms, max %.1f ms (%s); mean activation: "
                    + "median %.2f ms, max %.2f ms%n", cv.length, BenchCommand.q(cv, 0.5), worstMs, worst,
                    BenchCommand.q(mv, 0.5), BenchCommand.q(mv, 1));
        }
    }
}

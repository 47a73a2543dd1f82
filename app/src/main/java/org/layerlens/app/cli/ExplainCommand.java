package org.layerlens.app.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.layerlens.engine.api.Box;
import org.layerlens.engine.api.ClassScores;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.DetectorOutput;
import org.layerlens.engine.api.ExplainJson;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.api.PriorMatch;
import org.layerlens.engine.api.PriorQuery;
import org.layerlens.engine.api.Provenance;
import org.layerlens.engine.explain.LayerMaps;
import org.layerlens.engine.image.Heatmaps;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.io.AtomicFiles;
import org.layerlens.engine.ssd.HeadLayout;

/**
 * {@code explain}: why each box is there. The detections {@code detect} gives (same options,
 * same order), each traced back through the network from the same pass: head, cell, anchor,
 * prior, raw offsets, decoded box, every class's score, receptive field and what NMS suppressed
 * in its favour. {@code --box} asks the opposite question for an object the model missed: the
 * priors that match it best, and whether any reaches the model's training match threshold.
 * {@code --class-maps} and {@code --cam} draw where the heads and a module look.
 */
final class ExplainCommand implements Command {
    static final int BEST_PRIORS = 5;
    private static final int SUPPRESSED_SHOWN = 3;

    @Override
    public String name() {
        return "explain";
    }

    @Override
    public String usage() {
        return "explain  --model M [--labels L] --image I [--threshold T] [--iou U] [--box x1,y1,x2,y2] [--json OUT]\n"
                + "                 [--class-maps DIR [--class NAME]] [--cam MODULE --cam-out OUT.png]   why each box";
    }

    @Override
    public Set<String> options() {
        return Set.of("model", "labels", "image", "threshold", "iou", "box", "json", "class-maps", "class", "cam",
                "cam-out");
    }

    @Override
    public int run(Args a, Context c) throws Exception {
        String imageArg = a.require("image"); // one: a second is refused as an option given twice
        double threshold = a.getFraction("threshold", 0.5);
        Box query = null;
        if (a.get("box") != null) {
            try {
                query = Box.parse(a.get("box"));
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException("explain: --box: " + e.getMessage());
            }
        }
        if (a.get("class") != null && a.get("class-maps") == null) {
            throw new Args.UsageException("explain: --class NAME goes with --class-maps DIR (the class whose maps are drawn)");
        }
        String cam = a.get("cam");
        String camOut = a.getImageOut("cam-out");
        if ((cam == null) != (camOut == null)) {
            throw new Args.UsageException("explain: --cam MODULE and --cam-out OUT.png go together");
        }
        Model m = c.model(a);
        if (a.get("class") != null) {
            classIndex(m, a.get("class")); // before the pass: a misspelt class is said at once
        }
        double iou = a.getFraction("iou", m.defaultIou());
        LoadedImage img = c.read(Paths.get(imageArg));
        if (query != null) {
            query = inside(query, a.get("box"), img, c);
        }
        DetectorOutput out = m.detect(img);
        List<Detection> dets = out.detections(threshold, iou, m.candidates());
        PriorQuery q = query == null ? null : out.query(query, BEST_PRIORS);

        String json = a.get("json");
        boolean quiet = "-".equals(json);
        if (!quiet) {
            print(c, m, img, out, dets, q);
        }
        if (json != null) {
            String text = org.layerlens.engine.io.JsonText.of(ExplainJson.toObject(img, out, dets, q), true);
            if (quiet) {
                c.out.println(text);
            } else {
                AtomicFiles.writeString(Paths.get(json), text + "\n");
            }
        }
        if (a.get("class-maps") != null) {
            writeClassMaps(c, m, img, out, dets, a.get("class-maps"), a.get("class"), quiet);
        }
        if (cam != null) {
            writeCam(c, m, img, cam, Paths.get(camOut), quiet);
        }
        return 0;
    }

    /**
     * A query box clipped to the image, as the window clips a box drawn over its edge (a warning
     * says so); one outside, or with less than a pixel of width or height inside (a box with no
     * area, which the query would explain as a 0 x 6 px object), is the error: it stands for an
     * object in the image. Messages quote the box as given ({@code given}), not rounded.
     */
    private static Box inside(Box b, String given, LoadedImage img, Context c) throws IOException {
        int w = img.originalWidth();
        int h = img.originalHeight();
        Box clipped = b.clip(w, h);
        if (clipped.equals(b) && (b.width() < 1 || b.height() < 1)) {
            throw new IOException(String.format(Locale.ROOT, "--box %s is less than a pixel wide or high: it stands "
                    + "for an object in %s", given, img.name()));
        }
        if (clipped.width() < 1 || clipped.height() < 1) {
            throw new IOException(String.format(Locale.ROOT, "--box %s lies outside %s, which is %dx%d pixels%s",
                    given, img.name(), w, h, clipped.width() > 0 && clipped.height() > 0
                            ? " (less than a pixel of it is inside)" : ""));
        }
        if (!clipped.equals(b)) {
            c.err.printf(Locale.ROOT, "layerlens: warning: --box %s clipped to %s, which is %dx%d pixels: %s%n", given,
                    img.name(), w, h, clipped);
        }
        return clipped;
    }

    /** The index of the class named {@code name} in {@code m}'s labels (not the background). */
    private static int classIndex(Model m, String name) throws IOException {
        int cls = m.labels().indexOf(name);
        if (cls <= 0) {
            throw new IOException("--class " + name + ": " + m.name() + " has the classes "
                    + String.join(", ", m.labels().subList(1, m.labels().size())));
        }
        return cls;
    }

    private static void print(Context c, Model m, LoadedImage img, DetectorOutput out, List<Detection> dets,
                              PriorQuery q) {
        c.out.printf(Locale.ROOT, "%s (%dx%d), %s: %d detection(s)%n", img.source(), img.originalWidth(),
                img.originalHeight(), m.name(), dets.size());
        for (int i = 0; i < dets.size(); i++) {
            Detection d = dets.get(i);
            Provenance p = d.provenance();
            // numbered from 1, as the window's table and its --detection K
            c.out.printf(Locale.ROOT, "#%d %s %.3f %s%n", i + 1, d.label(), d.score(), d.box());
            c.out.printf(Locale.ROOT, "   from head %d (%dx%d map), cell row %d col %d, anchor %d = prior %d %s%n",
                    p.head(), p.rows(), p.cols(), p.row(), p.col(), p.anchor(), p.priorIndex(), p.prior());
            c.out.printf(Locale.ROOT, "   offsets [%.3f, %.3f, %.3f, %.3f] decode to %s%n", p.offsets()[0],
                    p.offsets()[1], p.offsets()[2], p.offsets()[3], p.decoded());
            c.out.printf(Locale.ROOT, "   class scores: %s%n", scores(m, p.classScores()));
            Box rf = p.receptiveField();
            c.out.printf(Locale.ROOT, "   receptive field %s (%.0fx%.0f px of the image)%n", rf, rf.width(),
                    rf.height());
            if (p.suppressed().isEmpty()) {
                c.out.println("   suppressed nothing");
            } else {
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < Math.min(SUPPRESSED_SHOWN, p.suppressed().size()); k++) {
                    Provenance.Suppressed s = p.suppressed().get(k);
                    sb.append(k == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%.3f at IoU %.2f (prior %d)",
                            s.score(), s.iou(), s.priorIndex()));
                }
                int more = p.suppressed().size() - SUPPRESSED_SHOWN;
                c.out.printf(Locale.ROOT, "   suppressed %d candidate(s): %s%s%n", p.suppressed().size(), sb,
                        more > 0 ? "; " + more + " more in --json" : "");
            }
        }
        if (q != null) {
            c.out.printf(Locale.ROOT, "query %s (%.0fx%.0f px in the network input): %s%n", q.box(),
                    q.networkBox().width(), q.networkBox().height(), q.verdict());
            for (PriorMatch pm : q.best()) {
                HeadLayout.Head h = m.layout().heads().get(pm.head());
                c.out.printf(Locale.ROOT, "   prior %d, head %d (%dx%d) cell %d,%d anchor %d %s IoU %.3f; scores %s;"
                        + " decodes to %s%n", pm.priorIndex(), pm.head(), h.rows(), h.cols(), pm.row(), pm.col(),
                        pm.anchor(), pm.prior(), pm.iou(), scores(m, pm.classScores()),
                        pm.decodedText(out.imageWidth(), out.imageHeight()));
            }
        }
    }

    /** Object classes, then the background apart (not a class that can be detected): {@link ClassScores}. */
    private static String scores(Model m, float[] s) {
        return ClassScores.of(m.labels(), s).text();
    }

    /** One PNG per head: the head's per-cell score for one class (best anchor) over the image, 0..1. */
    private static void writeClassMaps(Context c, Model m, LoadedImage img, DetectorOutput out, List<Detection> dets,
                                       String dirArg, String className, boolean quiet) throws IOException {
        int cls;
        if (className != null) {
            cls = classIndex(m, className);
        } else if (!dets.isEmpty()) {
            cls = dets.stream().max((x, y) -> Float.compare(x.score(), y.score())).get().classId();
        } else {
            throw new IOException("--class-maps: no detection to take the class from; name one with --class");
        }
        Path dir = Paths.get(dirArg);
        Files.createDirectories(dir);
        double[] f = m.spec().input().factors(img.width(), img.height());
        String label = safe(m.labels().get(cls));
        for (HeadLayout.Head h : m.layout().heads()) {
            float[] map = out.classMap(h.index(), cls);
            byte[] rgb = Heatmaps.overlay(img, map, h.rows(), h.cols(), f, 0f, 1f, Heatmaps.ColorMap.JET, false, 0.7);
            Path file = dir.resolve(String.format(Locale.ROOT, "head%d-%dx%d-%s.png", h.index(), h.rows(), h.cols(),
                    label));
            Heatmaps.write(file, rgb, img.width(), img.height());
            if (!quiet) {
                c.out.println("wrote " + file);
            }
        }
    }

    /** Eigen-CAM (negative part cut, as pytorch-grad-cam shows it) and the mean activation of one module. */
    private static void writeCam(Context c, Model m, LoadedImage img, String path, Path file, boolean quiet)
            throws IOException {
        double[] f = m.spec().input().factors(img.width(), img.height());
        try (Inspection ins = m.inspect(img, null, null)) {
            LayerData d = ins.layer(path);
            if (d == null) {
                throw new IOException("--cam: no module '" + path + "' with an output in " + m.name()
                        + " (try 'layerlens summary' for the names)");
            }
            if (d.flat) {
                throw new IOException("--cam: " + path + " gives a flattened output, not a feature map");
            }
            if (d.plane() == 1) {
                // one cell: a map of it is one colour over the whole image, as the window says too
                throw new IOException("--cam: " + path + " gives a 1x1 map, one value per channel: no map to draw "
                        + "over the image (choose a module with a larger output)");
            }
            float[] cam = LayerMaps.eigenCam(d);
            float hi = 0;
            for (float v : cam) {
                hi = Math.max(hi, v);
            }
            Heatmaps.write(file, Heatmaps.overlay(img, cam, d.height, d.width, f, 0f, hi, Heatmaps.ColorMap.JET,
                    true, 0.7), img.width(), img.height());
            float[] mean = LayerMaps.meanActivation(d);
            float lo = Float.POSITIVE_INFINITY;
            float top = Float.NEGATIVE_INFINITY;
            for (float v : mean) {
                lo = Math.min(lo, v);
                top = Math.max(top, v);
            }
            Path meanFile = sibling(file, "-mean");
            Heatmaps.write(meanFile, Heatmaps.overlay(img, mean, d.height, d.width, f, lo, top,
                    Heatmaps.ColorMap.JET, true, 0.7), img.width(), img.height());
            if (!quiet) {
                c.out.printf(Locale.ROOT, "wrote %s (Eigen-CAM of %s, %dx%dx%d) and %s (mean activation)%n", file,
                        path, d.height, d.width, d.channels, meanFile);
            }
        }
    }

    /** {@code out.png} -> {@code out-mean.png}. */
    static Path sibling(Path file, String suffix) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        String name = dot < 0 ? n + suffix + ".png" : n.substring(0, dot) + suffix + n.substring(dot);
        return file.resolveSibling(name);
    }

    private static String safe(String label) {
        return label.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}

package org.layerlens.engine.explain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.layerlens.engine.api.Box;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.eval.VocAnnotation;
import org.layerlens.engine.image.ImageFolder;
import org.layerlens.engine.image.Images;

/**
 * How well a model's priors cover a dataset's objects: for every ground-truth box, the best IoU
 * any prior reaches (what training's matching sees: a prior at or above the match threshold
 * learns the object; below it, pytorch-ssd still forces the single best prior to it, but nothing
 * else), summarised by object size and aspect ratio in the network's input pixels (what the
 * priors are sized in). Needs no pass of the network: priors depend only on the image size.
 */
public final class AnchorCoverage {
    /** Bin edges of object size, {@code sqrt(w * h)} in network-input pixels. */
    public static final double[] SIZE_EDGES = {0, 16, 24, 32, 48, 64, 96, 128, 192, Double.POSITIVE_INFINITY};
    /** Bin edges of aspect ratio {@code w / h} in network-input pixels. */
    public static final double[] ASPECT_EDGES = {0, 1 / 3.0, 1 / 2.0, 2 / 3.0, 3 / 2.0, 2, 3, Double.POSITIVE_INFINITY};

    private AnchorCoverage() {
    }

    /** An annotated image: its name, size in pixels and ground-truth objects. */
    public record Annotated(String file, int width, int height, List<VocAnnotation.Box> objects) {
    }

    /**
     * One ground-truth box: where it is (image pixels), its size in network-input pixels, and
     * the prior that matches it best.
     */
    public record Entry(String file, String label, Box box, int imageWidth, int imageHeight, double networkWidth,
                        double networkHeight, double bestIou, int priorIndex, int head) {
        /** {@code sqrt(w * h)} in network-input pixels. */
        public double size() {
            return Math.sqrt(networkWidth * networkHeight);
        }

        /** {@code w / h} in network-input pixels (a stretched image changes it). */
        public double aspect() {
            return networkWidth / networkHeight;
        }
    }

    /** One bin of a summary: boxes in it, how many reach the threshold, their mean best IoU. */
    public record Bin(String name, double from, double to, int boxes, int matched, double meanBestIou) {
        public double share() {
            return boxes == 0 ? Double.NaN : (double) matched / boxes;
        }
    }

    /**
     * A dataset's coverage.
     *
     * @param headSides per head, its smallest prior's {@code sqrt(w * h)} in network-input pixels
     *                  (on a square image): where the chart marks what each head is sized for
     */
    public record Result(String model, String dataset, int inputSize, double matchThreshold, int files,
                         List<Entry> entries, List<String> skipped, List<String> skippedBoxes,
                         List<Double> headSides) {
        public int matched() {
            return (int) entries.stream().filter(e -> e.bestIou() >= matchThreshold).count();
        }

        public double share() {
            return entries.isEmpty() ? Double.NaN : (double) matched() / entries.size();
        }

        public List<Bin> bySize() {
            return bins(SIZE_EDGES, Entry::size, "px");
        }

        public List<Bin> byAspect() {
            return bins(ASPECT_EDGES, Entry::aspect, "");
        }

        private List<Bin> bins(double[] edges, java.util.function.ToDoubleFunction<Entry> key, String unit) {
            List<Bin> out = new ArrayList<>();
            for (int b = 0; b + 1 < edges.length; b++) {
                double lo = edges[b];
                double hi = edges[b + 1];
                int n = 0;
                int ok = 0;
                double sum = 0;
                for (Entry e : entries) {
                    double v = key.applyAsDouble(e);
                    if (v >= lo && v < hi) {
                        n++;
                        sum += e.bestIou();
                        if (e.bestIou() >= matchThreshold) {
                            ok++;
                        }
                    }
                }
                out.add(new Bin(binName(lo, hi, unit), lo, hi, n, ok, n == 0 ? Double.NaN : sum / n));
            }
            return out;
        }

        /** The whole result in the {@code anchors --json} shape. */
        public JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("model", model);
            o.addProperty("dataset", dataset);
            o.addProperty("inputSize", inputSize);
            o.addProperty("matchThreshold", matchThreshold);
            o.addProperty("files", files);
            o.addProperty("boxes", entries.size());
            o.addProperty("matched", matched());
            o.addProperty("share", round(share()));
            o.add("bySize", binsJson(bySize()));
            o.add("byAspect", binsJson(byAspect()));
            JsonArray objs = new JsonArray();
            for (Entry e : entries) {
                JsonObject j = new JsonObject();
                j.addProperty("file", e.file());
                j.addProperty("label", e.label());
                JsonArray b = new JsonArray();
                for (double v : e.box().toArray()) {
                    b.add(Math.round(v * 100) / 100.0);
                }
                j.add("box", b);
                j.addProperty("size", round(e.size()));
                j.addProperty("aspect", round(e.aspect()));
                j.addProperty("bestIou", round(e.bestIou()));
                j.addProperty("priorIndex", e.priorIndex());
                j.addProperty("head", e.head());
                objs.add(j);
            }
            o.add("objects", objs);
            JsonArray hs = new JsonArray();
            headSides.forEach(v -> hs.add(round(v)));
            o.add("headSmallestPrior", hs);
            JsonArray sk = new JsonArray();
            skipped.forEach(sk::add);
            o.add("skipped", sk);
            JsonArray skb = new JsonArray();
            skippedBoxes.forEach(skb::add);
            o.add("skippedBoxes", skb);
            return o;
        }
    }

    private static JsonArray binsJson(List<Bin> bins) {
        JsonArray a = new JsonArray();
        for (Bin b : bins) {
            JsonObject j = new JsonObject();
            j.addProperty("bin", b.name());
            j.addProperty("from", b.from());
            if (Double.isFinite(b.to())) {
                j.addProperty("to", b.to());
            }
            j.addProperty("boxes", b.boxes());
            j.addProperty("matched", b.matched());
            if (b.boxes() > 0) {
                j.addProperty("share", round(b.share()));
                j.addProperty("meanBestIou", round(b.meanBestIou()));
            }
            a.add(j);
        }
        return a;
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 10000) / 10000.0 : v;
    }

    static String binName(double lo, double hi, String unit) {
        if (Double.isInfinite(hi)) {
            return ">= " + fmt(lo) + unit;
        }
        if (lo == 0) {
            return "< " + fmt(hi) + unit;
        }
        return fmt(lo) + "-" + fmt(hi) + unit;
    }

    private static String fmt(double v) {
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        // 1/3, 1/2, 2/3: aspect ratios read better as fractions
        for (int den = 2; den <= 4; den++) {
            double num = v * den;
            if (Math.abs(num - Math.rint(num)) < 1e-9) {
                return (long) Math.rint(num) + "/" + den;
            }
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** The best prior for one box (image pixels) of a {@code width x height} image, given that size's priors. */
    public static Entry measure(Model model, float[] priors, String file, String label, Box box, int width,
                                int height) {
        Box rel = new Box(box.x1() / width, box.y1() / height, box.x2() / width, box.y2() / height);
        int best = -1;
        double bestIou = -1;
        for (int i = 0; i < priors.length / 4; i++) {
            double iou = rel.iou(new Box(priors[4 * i], priors[4 * i + 1], priors[4 * i + 2], priors[4 * i + 3]));
            if (iou > bestIou) {
                bestIou = iou;
                best = i;
            }
        }
        double[] f = model.spec().input().factors(width, height);
        int s = model.inputSize();
        double nw = box.width() * s / (f[0] * width);
        double nh = box.height() * s / (f[1] * height);
        return new Entry(file, label, box, width, height, nw, nh, bestIou, best, model.layout().locate(best).head());
    }

    /** Coverage of annotated images already read (boxes in VOC's 0-based pixels). */
    public static Result of(Model model, String dataset, List<Annotated> images, List<String> skipped) {
        return of(model, dataset, images, skipped, List.of());
    }

    /** The same, with the boxes left out of files that were otherwise used ({@code skippedBoxes}, one line each). */
    public static Result of(Model model, String dataset, List<Annotated> images, List<String> skipped,
                            List<String> skippedBoxes) {
        Map<Long, float[]> priorsBySize = new HashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Annotated a : images) {
            float[] priors = priorsBySize.computeIfAbsent(((long) a.width() << 32) | a.height(),
                    k -> model.priorBoxes(a.width(), a.height()));
            for (VocAnnotation.Box b : a.objects()) {
                entries.add(measure(model, priors, a.file(), b.name(), new Box(b.x1(), b.y1(), b.x2(), b.y2()),
                        a.width(), a.height()));
            }
        }
        return new Result(model.name(), dataset, model.inputSize(), model.matchThreshold(), images.size(),
                List.copyOf(entries), List.copyOf(skipped), List.copyOf(skippedBoxes), headSides(model));
    }

    private static List<Double> headSides(Model model) {
        int s = model.inputSize();
        float[] p = model.priorBoxes(s, s);
        List<Double> out = new ArrayList<>();
        for (var h : model.layout().heads()) {
            double min = Double.POSITIVE_INFINITY;
            for (int i = h.first(); i < h.first() + h.count(); i++) {
                double w = (p[4 * i + 2] - p[4 * i]) * s;
                double ht = (p[4 * i + 3] - p[4 * i + 1]) * s;
                if (w > 0 && ht > 0) {
                    min = Math.min(min, Math.sqrt(w * ht));
                }
            }
            out.add(min);
        }
        return List.copyOf(out);
    }

    /**
     * Reads a folder of Pascal VOC {@code .xml} files (image sizes from their {@code <size>}, or
     * from the image beside them) and measures every box. A box that cannot be used (outside the
     * image, of no area, of a class the model does not have) is left out with one warning naming
     * the file and the box, and the file's other boxes are measured: one box drawn past a border
     * should not cost the file's others. A file with no box left, or that cannot be read at all,
     * is skipped with one warning; a folder where nothing can be used is an {@link IOException}
     * with one line saying why.
     */
    public static Result read(Model model, Path dir, Consumer<String> warnings, BiConsumer<Integer, Integer> progress,
                              BooleanSupplier cancelled) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": not a folder");
        }
        List<Path> xmls;
        try (Stream<Path> s = Files.list(dir)) {
            xmls = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xml")
                    && Files.isRegularFile(p)).sorted().toList();
        }
        if (xmls.isEmpty()) {
            String hint = org.layerlens.engine.image.ImageFolder.list(dir).subfoldersHint("annotations");
            throw new IOException(dir + ": no Pascal VOC .xml annotations in " + (hint.isEmpty() ? "this folder"
                    : "the folder itself" + hint));
        }
        Set<String> known = new LinkedHashSet<>(model.labels().subList(1, model.labels().size()));
        List<Annotated> ok = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> skippedBoxes = new ArrayList<>();
        List<String> unknownOnly = new ArrayList<>();
        Set<String> unknownNames = new LinkedHashSet<>();
        Consumer<String> warn = warnings == null ? w -> { } : warnings;
        for (int i = 0; i < xmls.size(); i++) {
            if (cancelled != null && cancelled.getAsBoolean()) {
                throw new CancellationException("anchor coverage cancelled");
            }
            if (progress != null) {
                progress.accept(i, xmls.size());
            }
            Path xml = xmls.get(i);
            String problem;
            try {
                VocAnnotation ann = VocAnnotation.read(xml);
                int[] size = imageSize(ann, xml);
                Usable u = usable(ann, size, known, unknownNames);
                if (!u.boxes().isEmpty()) {
                    ok.add(new Annotated(xml.getFileName().toString(), size[0], size[1], u.boxes()));
                    for (String p : u.problems()) {
                        warn.accept(xml + ": " + p + (p.startsWith("names ") ? "; those boxes skipped" : "; box skipped"));
                        skippedBoxes.add(xml + ": " + p);
                    }
                    continue;
                }
                if (u.onlyUnknown()) {
                    unknownOnly.add(xml + ": " + u.problems().get(0));
                    continue;
                }
                problem = xml + ": " + (u.problems().isEmpty() ? "no objects" : u.problems().get(0));
            } catch (IOException e) {
                problem = e.getMessage() != null && e.getMessage().contains(xml.toString()) ? e.getMessage()
                        : xml + ": " + e.getMessage();
            }
            warn.accept(problem + "; skipped");
            skipped.add(problem);
        }
        if (ok.isEmpty() && !unknownOnly.isEmpty()) {
            // the whole dataset is of other classes: one line, not one per file
            throw new IOException(dir + ": the annotations name " + String.join(", ", first(unknownNames, 6))
                    + " but " + model.name() + " has the classes " + String.join(", ", known)
                    + ": nothing to measure (pass --labels with the dataset's class names)");
        }
        for (String u : unknownOnly) {
            warn.accept(u + "; skipped");
            skipped.add(u);
        }
        if (ok.isEmpty()) {
            throw new IOException(dir + ": none of its " + xmls.size() + " annotation(s) could be used");
        }
        if (progress != null) {
            progress.accept(xmls.size(), xmls.size());
        }
        return of(model, dir.toString(), ok, skipped, skippedBoxes);
    }

    private static List<String> first(Set<String> s, int n) {
        List<String> out = new ArrayList<>(s.stream().limit(n).toList());
        if (s.size() > n) {
            out.add("...");
        }
        return out;
    }

    /**
     * An annotation's boxes this model can be measured on, and one line for each that it cannot
     * (for boxes of classes the model does not have: one line for all of them).
     *
     * @param onlyUnknown every box is of a class the model does not have
     */
    private record Usable(List<VocAnnotation.Box> boxes, List<String> problems, boolean onlyUnknown) {
    }

    private static Usable usable(VocAnnotation ann, int[] size, Set<String> known, Set<String> unknownNames) {
        List<VocAnnotation.Box> boxes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> unknown = new LinkedHashSet<>();
        for (VocAnnotation.Box b : ann.objects()) {
            if (!known.contains(b.name())) {
                unknown.add(b.name());
            } else if (!(b.x2() > b.x1() && b.y2() > b.y1())) {
                problems.add("the " + b.name() + " box " + b.asWritten() + " has no area");
            } else if (b.x1() < -1 || b.y1() < -1 || b.x2() > size[0] || b.y2() > size[1]) {
                // a box over the edge is not an object's true extent, so it is not measured; said as
                // what it is ("lies outside" for one partly inside read as if it were wholly out)
                boolean partly = b.x1() < size[0] && b.y1() < size[1] && b.x2() > 0 && b.y2() > 0;
                problems.add(String.format(Locale.ROOT, "the %s box %s %s the %dx%d image", b.name(),
                        b.asWritten(), partly ? "reaches outside" : "lies outside", size[0], size[1]));
            } else {
                boxes.add(b);
            }
        }
        boolean onlyUnknown = !unknown.isEmpty() && boxes.isEmpty() && problems.isEmpty();
        if (!unknown.isEmpty()) {
            unknownNames.addAll(unknown);
            problems.add(0, "names " + String.join(", ", unknown) + ", which the model does not have (it has "
                    + String.join(", ", known) + ")");
        }
        return new Usable(boxes, problems, onlyUnknown);
    }

    /** The image size from {@code <size>}, else from the image beside the annotation. */
    private static int[] imageSize(VocAnnotation ann, Path xml) throws IOException {
        if (ann.width() > 0 && ann.height() > 0) {
            return new int[] {ann.width(), ann.height()};
        }
        String stem = ImageFolder.stem(xml);
        for (String ext : List.of("jpg", "jpeg", "png", "bmp", "tif", "tiff", "webp", "JPG", "JPEG", "PNG")) {
            Path img = xml.resolveSibling(stem + "." + ext);
            if (Files.isRegularFile(img)) {
                var li = Images.read(img);
                return new int[] {li.originalWidth(), li.originalHeight()};
            }
        }
        throw new IOException(xml + ": no <size> in the annotation and no image beside it");
    }
}

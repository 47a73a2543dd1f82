package org.layerlens.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.layerlens.engine.api.Model;
import org.layerlens.engine.eval.VocAnnotation;
import org.layerlens.engine.eval.VocEval;
import org.layerlens.engine.image.ImageFolder;
import org.layerlens.engine.api.Detection;

/** {@code eval}: VOC mAP@0.5 (all-point) over images with Pascal VOC .xml files beside them. */
final class EvalCommand implements Command {
    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String usage() {
        return "eval     --model M --dataset DIR [--labels L]   VOC mAP@0.5 (all-point) on images with VOC .xml files";
    }

    @Override
    public Set<String> options() {
        return Set.of("model", "labels", "dataset", "threshold");
    }

    @Override
    public int run(Args a, Context c) throws Exception {
        Path dir = Paths.get(a.require("dataset"));
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": not a folder");
        }
        double threshold = a.getFraction("threshold", 0.01);
        Model m = c.model(a);
        List<String> classes = m.labels().subList(1, m.labels().size());
        VocEval ev = new VocEval(classes);
        List<String> skipped = new ArrayList<>();
        List<Path> images = new ArrayList<>();
        List<VocAnnotation> annotations = new ArrayList<>();
        Map<String, Integer> unknown = new TreeMap<>(); // boxes of a class the model does not have, by name
        for (Path img : c.images(List.of(dir.toString()))) {
            Path xml = img.resolveSibling(ImageFolder.stem(img) + ".xml");
            if (!Files.isRegularFile(xml)) {
                continue;
            }
            try {
                annotations.add(checked(VocAnnotation.read(xml), classes, unknown, c));
                images.add(img);
            } catch (IOException e) {
                c.err.println("layerlens: warning: " + Context.oneLine(e) + "; skipped");
                skipped.add(xml.toString());
            }
        }
        // an annotation whose <size> is not its image's (another resolution, a rotated copy) scores
        // boxes that lie elsewhere: said once per file, after the run (images run in parallel)
        Map<Path, VocAnnotation> byImage = new java.util.HashMap<>();
        for (int i = 0; i < images.size(); i++) {
            byImage.put(images.get(i), annotations.get(i));
        }
        Map<Path, String> sizeMismatch = new java.util.concurrent.ConcurrentSkipListMap<>();
        ImageBatch.Result<List<Detection>> r = ImageBatch.run(c, images, li -> {
            VocAnnotation ann = byImage.get(li.source());
            if (ann != null && ann.width() > 0 && ann.height() > 0
                    && (ann.width() != li.originalWidth() || ann.height() != li.originalHeight())) {
                sizeMismatch.put(li.source(), String.format(Locale.ROOT, "%s: <size> says %dx%d but %s is %dx%d: "
                        + "its boxes may not lie where the image shows them", ann.file(), ann.width(), ann.height(),
                        li.source().getFileName(), li.originalWidth(), li.originalHeight()));
            }
            return m.detect(li).detections(threshold, m.defaultIou(), m.candidates());
        });
        sizeMismatch.values().forEach(w -> c.err.println("layerlens: warning: " + w));
        Set<String> truthClasses = new HashSet<>();
        int n = 0;
        for (int i = 0; i < images.size(); i++) {
            List<Detection> dets = r.results().get(i);
            if (dets == null) {
                continue;
            }
            annotations.get(i).objects().forEach(b -> truthClasses.add(b.name()));
            ev.add(annotations.get(i).objects(), dets);
            n++;
        }
        if (n == 0) {
            throw new IOException(dir + ": no readable images with a VOC .xml annotation beside them");
        }
        // annotations without objects are negatives (their detections count as false positives),
        // not annotations of other classes
        if (!truthClasses.isEmpty() && truthClasses.stream().noneMatch(classes::contains)) {
            throw new IOException(dir + ": the annotations name " + String.join(", ", truthClasses.stream().sorted()
                    .limit(6).toList()) + (truthClasses.size() > 6 ? ", ..." : "") + " but " + m.name()
                    + " detects " + String.join(", ", classes) + ": nothing to evaluate (use --labels for class names)");
        }
        unknown.forEach((name, boxes) -> c.err.printf(Locale.ROOT, "layerlens: warning: %d box(es) of class '%s' "
                + "not counted: not one of the model's classes (%s)%n", boxes, name, String.join(", ", classes)));
        VocEval.Result result = ev.result();
        if (Double.isNaN(result.mean())) {
            throw new IOException(dir + ": no ground-truth box to score in " + n + " image(s) (none annotated, or all "
                    + "marked difficult, which VOC's evaluation does not score): mAP is undefined");
        }
        c.out.println(result);
        return 0;
    }

    /**
     * Says what in an annotation cannot be scored as it stands, and returns it unchanged (the
     * score stays the one VOC's own evaluation gives, comparable with other tools): a box of a
     * class the model does not have is counted into {@code unknown} (a warning at the end; left
     * out silently, a misspelt class made the mAP look better), and an empty box or one wholly
     * outside the image its {@code <size>} gives is named in a warning (no detection can match it,
     * so it counts as a miss).
     */
    private static VocAnnotation checked(VocAnnotation a, List<String> classes, Map<String, Integer> unknown,
                                           Context c) {
        for (VocAnnotation.Box b : a.objects()) {
            boolean empty = !(b.x2() > b.x1() && b.y2() > b.y1());
            boolean outside = a.width() > 0 && a.height() > 0
                    && (b.x1() >= a.width() || b.y1() >= a.height() || b.x2() <= 0 || b.y2() <= 0);
            if (!classes.contains(b.name())) {
                unknown.merge(b.name(), 1, Integer::sum);
            } else if (empty || outside) {
                c.err.printf(Locale.ROOT, "layerlens: warning: %s: box %s %s %s: no detection can match it, so it "
                        + "counts as a miss%n", a.file(), b.name(), b.asWritten(),
                        empty ? "is empty" : "lies outside the " + a.width() + "x" + a.height() + " image");
            }
        }
        return a;
    }
}

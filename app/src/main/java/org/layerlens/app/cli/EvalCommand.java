package org.layerlens.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.layerlens.engine.api.Model;
import org.layerlens.engine.eval.VocAnnotation;
import org.layerlens.engine.eval.VocEval;
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
        for (Path img : Context.images(List.of(dir.toString()))) {
            Path xml = img.resolveSibling(img.getFileName().toString().replaceFirst("\\.[^.]+$", "") + ".xml");
            if (!Files.isRegularFile(xml)) {
                continue;
            }
            try {
                annotations.add(VocAnnotation.read(xml));
                images.add(img);
            } catch (IOException e) {
                c.err.println("layerlens: warning: " + Context.oneLine(e) + "; skipped");
                skipped.add(xml.toString());
            }
        }
        ImageBatch.Result<List<Detection>> r = ImageBatch.run(c, images,
                li -> m.detect(li).detections(threshold, m.defaultIou(), m.candidates()));
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
        if (truthClasses.stream().noneMatch(classes::contains)) {
            throw new IOException(dir + ": the annotations name " + String.join(", ", truthClasses.stream().sorted()
                    .limit(6).toList()) + (truthClasses.size() > 6 ? ", ..." : "") + " but " + m.name()
                    + " detects " + String.join(", ", classes) + ": nothing to evaluate (use --labels for class names)");
        }
        c.out.println(ev.result());
        return 0;
    }
}

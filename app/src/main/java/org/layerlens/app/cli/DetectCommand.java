package org.layerlens.app.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.google.gson.JsonArray;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.DetectionsJson;
import org.layerlens.engine.api.DetectorOutput;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.io.AtomicFiles;

/**
 * {@code detect}: detections for images and folders of images. An image that cannot be read is
 * skipped with a warning naming it; the rest is done and the JSON written.
 */
final class DetectCommand implements Command {
    @Override
    public String name() {
        return "detect";
    }

    @Override
    public String usage() {
        return "detect   --model M [--labels L] --image I [--image I2 | DIR ...] [--threshold T] [--iou U] [--json OUT]";
    }

    @Override
    public Set<String> options() {
        return Set.of("model", "labels", "image", "threshold", "iou", "json");
    }

    @Override
    public Set<String> repeatable() {
        return Set.of("image"); // files and folders, all detected
    }

    @Override
    public int run(Args a, Context c) throws Exception {
        if (a.all("image").isEmpty()) {
            throw new Args.UsageException("detect: --image is required");
        }
        double threshold = a.getFraction("threshold", 0.5);
        Model m = c.model(a);
        double iou = a.getFraction("iou", m.defaultIou());
        String json = a.get("json");
        boolean quiet = "-".equals(json);
        List<Path> paths = c.images(a.all("image"));
        if (paths.size() == 1) {
            Images.read(paths.get(0)); // one image named alone that cannot be read is the error itself
        }
        record Found(LoadedImage image, List<Detection> detections, int nonFinite, int priors) {
        }
        ImageBatch.Result<Found> r = ImageBatch.run(c, paths, img -> {
            DetectorOutput out = m.detect(img);
            return new Found(img, out.detections(threshold, iou, m.candidates()), out.nonFinitePriors(), out.priors());
        });
        List<String> skipped = r.skipped();
        JsonArray results = new JsonArray();
        for (Found f : r.results()) {
            if (f == null) {
                continue;
            }
            results.add(DetectionsJson.toObject(f.image(), f.detections()));
            if (f.nonFinite() > 0) {
                c.err.printf(Locale.ROOT, "layerlens: warning: %s: %d of %d priors have scores or boxes that are not "
                        + "finite numbers (NaN or infinite weights?) and can never be detected%n", f.image().source(),
                        f.nonFinite(), f.priors());
            }
            if (!quiet) {
                c.out.printf(Locale.ROOT, "%s (%dx%d): %d detection(s)%n", f.image().source(),
                        f.image().originalWidth(), f.image().originalHeight(), f.detections().size());
                for (Detection d : f.detections()) {
                    c.out.printf(Locale.ROOT, "  %-12s %.3f  %s%n", d.label(), d.score(), d.box());
                }
            }
        }
        if (results.isEmpty()) {
            // no image read: nothing written, as stats does (it wrote [] and exited 1: walkthrough)
            c.err.printf(Locale.ROOT, "layerlens: none of the %d file(s) is a readable image; nothing written%n",
                    paths.size());
            return 1;
        }
        String text = org.layerlens.engine.io.JsonText.of(results, true);
        if (quiet) {
            c.out.println(text);
        } else if (json != null) {
            AtomicFiles.writeString(Paths.get(json), text + "\n");
        }
        if (!skipped.isEmpty()) {
            c.err.printf(Locale.ROOT, "layerlens: %d of %d image(s) skipped%n", skipped.size(), paths.size());
        }
        return 0;
    }
}

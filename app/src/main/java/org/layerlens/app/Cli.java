package org.layerlens.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import org.layerlens.engine.Inspection;
import org.layerlens.engine.Model;
import org.layerlens.engine.ShapeTrail;
import org.layerlens.engine.eval.VocAnnotation;
import org.layerlens.engine.eval.VocEval;
import org.layerlens.engine.exec.Execution;
import org.layerlens.engine.exec.ModuleEvent;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.image.Preprocess;
import org.layerlens.engine.io.Npy;
import org.layerlens.engine.nn.Module;
import org.layerlens.engine.ssd.Detection;
import org.layerlens.engine.ssd.DetectionsJson;
import org.layerlens.engine.ssd.SsdOutput;

/** The command-line interface: tree, summary, detect, dump, bench. */
final class Cli {
    static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "tif", "tiff", "webp");
    private final PrintStream out;

    Cli(PrintStream out) {
        this.out = out;
    }

    static final String USAGE = String.join("\n",
            "usage: layerlens [COMMAND] [OPTIONS]",
            "  (no command)   open the window   [--model M] [--labels L] [--image I] [--layer P] [--snapshot OUT.png]",
            "                 --measure DIR|IMAGE...  open each image in the window, print open-to-shown times, exit",
            "  tree     --model M                 print the module tree (PyTorch repr)",
            "  summary  --model M                 one row per module: path, type, output shape, parameters; shape trail",
            "  detect   --model M [--labels L] --image I [--image I2 | DIR ...] [--threshold T] [--iou U] [--json OUT]",
            "  dump     --model M --image I --layer P1,P2,... --out DIR   (.npy, float32, NCHW; also 'scores', 'boxes')",
            "  bench    --model M [--image I] [--iterations N] [--mode fast|inspect|both]   median ms, resident memory",
            "  eval     --model M --dataset DIR [--labels L]   VOC mAP@0.5 (all-point) on images with VOC .xml files",
            "M is a checkpoint (.pth from torch.save, legacy or zip; .onnx; a TF.js weights manifest .json of face-api's",
            "  SSD MobileNetV1), 'default' (the bundled shapes model) or 'faces-v1' (face-api's face detector, bundled).",
            "--verbose prints stack traces on errors.");

    int run(Args a) throws Exception {
        switch (a.command) {
            case "tree" -> {
                a.allowOnly(Set.of("model", "labels"));
                out.println(model(a).net());
            }
            case "summary" -> summary(a);
            case "detect" -> detect(a);
            case "dump" -> dump(a);
            case "bench" -> bench(a);
            case "eval" -> eval(a);
            case "help" -> out.println(USAGE);
            default -> throw new Args.UsageException("unknown command '" + a.command + "'\n" + USAGE);
        }
        return 0;
    }

    private Model model(Args a) throws IOException {
        String l = a.get("labels");
        Model m = ModelRef.load(a.get("model", ModelRef.DEFAULT), l == null ? null : Paths.get(l));
        for (String n : m.notes()) {
            if (n.startsWith("warning") || a.flag("verbose")) {
                System.err.println("layerlens: " + m.source().getFileName() + ": " + n);
            }
        }
        return m;
    }

    private void summary(Args a) throws Exception {
        a.allowOnly(Set.of("model", "labels", "image"));
        Model m = model(a);
        LoadedImage img = a.get("image") != null ? Preprocess.read(Paths.get(a.get("image")))
                : new LoadedImage(null, m.inputSize(), m.inputSize(), new byte[m.inputSize() * m.inputSize() * 3]);
        m.inspect(img, Execution.Mode.INSPECT, null).close(); // warm-up, so the ms column is steady-state
        try (Inspection ins = m.inspect(img, Execution.Mode.INSPECT, null)) {
            out.printf(Locale.ROOT, "%-40s %-17s %-14s %12s %9s%n", "module", "type", "output", "parameters", "ms");
            for (Module mod : m.net().modules()) {
                ModuleEvent e = ins.event(mod.path());
                String shape = e == null ? "-" : ShapeTrail.hwc(e.outputShape());
                out.printf(Locale.ROOT, "%-40s %-17s %-14s %,12d %9s%n", mod.path().isEmpty() ? "(model)" : mod.path(),
                        mod.typeName(), shape, mod.parameterCount(),
                        e == null ? "" : String.format(Locale.ROOT, "%.3f", e.nanos() / 1e6));
            }
            out.printf(Locale.ROOT, "total parameters: %,d%n", m.net().parameterCount());
            out.println("shape trail (* = read by the SSD heads): "
                    + ShapeTrail.format(ShapeTrail.of(m.net(), ins.input().shape(), ins.events())));
        }
    }

    static List<Path> images(List<String> args) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String s : args) {
            Path p = Paths.get(s);
            if (Files.isDirectory(p)) {
                try (Stream<Path> st = Files.list(p)) {
                    st.filter(f -> IMAGE_EXTENSIONS.contains(ext(f))).sorted().forEach(out::add);
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    static String ext(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private void detect(Args a) throws Exception {
        a.allowOnly(Set.of("model", "labels", "image", "threshold", "iou", "json"));
        if (a.all("image").isEmpty()) {
            throw new Args.UsageException("detect: --image is required");
        }
        Model m = model(a);
        double threshold = a.getDouble("threshold", 0.5);
        double iou = a.getDouble("iou", m.defaultIou());
        JsonArray results = new JsonArray();
        for (Path p : images(a.all("image"))) {
            LoadedImage img = Preprocess.read(p);
            List<Detection> dets = m.detectFast(img).detections(threshold, iou, Model.CANDIDATES, m.labels());
            results.add(DetectionsJson.toObject(img, dets));
            if (a.get("json") == null || !a.get("json").equals("-")) {
                out.printf(Locale.ROOT, "%s (%dx%d): %d detection(s)%n", p, img.width(), img.height(), dets.size());
                for (Detection d : dets) {
                    out.printf(Locale.ROOT, "  %-12s %.3f  [%.1f, %.1f, %.1f, %.1f]%n", d.label(), d.score(),
                            d.x1(), d.y1(), d.x2(), d.y2());
                }
            }
        }
        String json = new GsonBuilder().setPrettyPrinting().create().toJson(results);
        if ("-".equals(a.get("json"))) {
            out.println(json);
        } else if (a.get("json") != null) {
            Files.writeString(Paths.get(a.get("json")), json + "\n", StandardCharsets.UTF_8);
        }
    }

    private void dump(Args a) throws Exception {
        a.allowOnly(Set.of("model", "labels", "image", "layer", "out"));
        Model m = model(a);
        LoadedImage img = Preprocess.read(Paths.get(a.require("image")));
        List<String> layers = new ArrayList<>();
        for (String l : a.all("layer")) {
            Arrays.stream(l.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(layers::add);
        }
        if (layers.isEmpty()) {
            throw new Args.UsageException("dump: --layer is required");
        }
        Path dir = Paths.get(a.require("out"));
        try (Inspection ins = m.inspect(img, Execution.Mode.INSPECT, null)) {
            for (String l : layers) {
                if (!l.equals("scores") && !l.equals("boxes") && !l.equals("input") && ins.event(l) == null) {
                    throw new IOException("no module '" + l + "' with an output in " + m.name()
                            + " (try 'layerlens summary' for the names)");
                }
            }
            Files.createDirectories(dir);
            SsdOutput o = ins.output();
            for (String l : layers) {
                Path f = dir.resolve(l + ".npy");
                switch (l) {
                    case "scores" -> Npy.write(f, o.scores(), new long[] {1, o.priors(), o.classes()});
                    case "boxes" -> Npy.write(f, o.boxes(), new long[] {1, o.priors(), 4});
                    case "input" -> Npy.write(f, ins.input());
                    default -> Npy.write(f, ins.event(l).output());
                }
                out.println("wrote " + f);
            }
        }
    }

    private void eval(Args a) throws Exception {
        a.allowOnly(Set.of("model", "labels", "dataset", "threshold"));
        Model m = model(a);
        Path dir = Paths.get(a.require("dataset"));
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": not a folder");
        }
        double threshold = a.getDouble("threshold", 0.01);
        VocEval ev = new VocEval(m.labels().subList(1, m.labels().size()));
        int n = 0;
        for (Path img : images(List.of(dir.toString()))) {
            Path xml = img.resolveSibling(img.getFileName().toString().replaceFirst("\\.[^.]+$", "") + ".xml");
            if (!Files.isRegularFile(xml)) {
                continue;
            }
            LoadedImage li = Preprocess.read(img);
            ev.add(VocAnnotation.read(xml).objects(),
                    m.detectFast(li).detections(threshold, m.defaultIou(), Model.CANDIDATES, m.labels()));
            n++;
        }
        if (n == 0) {
            throw new IOException(dir + ": no images with a VOC .xml annotation beside them");
        }
        out.println(ev.result());
    }

    private void bench(Args a) throws Exception {
        a.allowOnly(Set.of("model", "labels", "image", "iterations", "warmup", "mode"));
        String mode = a.get("mode", "both");
        if (!Set.of("both", "fast", "inspect").contains(mode)) {
            throw new Args.UsageException("bench: --mode is fast, inspect or both");
        }
        Model m = model(a);
        int n = a.getInt("iterations", 50);
        int warm = a.getInt("warmup", 10);
        LoadedImage img = a.get("image") != null ? Preprocess.read(Paths.get(a.get("image")))
                : Preprocess.read(ModelRef.defaultImageOrFail());
        Bench.Result r = Bench.run(m, img, n, warm, !mode.equals("inspect"), !mode.equals("fast"));
        out.printf(Locale.ROOT, "model %s, image %s, %d iterations after %d warm-up, OMP_NUM_THREADS=%s%n",
                m.name(), img.source(), n, warm, System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"));
        if (!mode.equals("inspect")) {
            out.printf(Locale.ROOT, "fast pass (batch norm folded): median %.2f ms (min %.2f, p90 %.2f)%n",
                    r.fastMedian(), r.fastMin(), r.fastP90());
        }
        if (!mode.equals("fast")) {
            out.printf(Locale.ROOT, "inspect pass (every output kept): median %.2f ms (min %.2f, p90 %.2f)%s%n",
                    r.inspectMedian(), r.inspectMin(), r.inspectP90(), mode.equals("inspect") ? ""
                            : String.format(Locale.ROOT, ", %.2fx fast", r.inspectMedian() / r.fastMedian()));
        }
        out.printf(Locale.ROOT, "resident memory: %.0f MB after warm-up, %.0f MB after %d passes of %s "
                + "(growth %+.1f MB), peak %.0f MB; Java heap in use %.0f MB%n", r.rssAfterWarmupMb(), r.rssEndMb(), n,
                mode, r.rssEndMb() - r.rssAfterWarmupMb(), r.peakRssMb(), r.heapMb());
    }
}

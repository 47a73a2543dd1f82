package org.layerlens.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.layerlens.engine.api.DetectorOutput;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.io.Npy;

/**
 * {@code dump}: module outputs as .npy in PyTorch's NCHW layout, plus {@code input},
 * {@code scores} ([1, priors, classes]) and {@code boxes} ([1, priors, 4], image-relative
 * corners, unclipped: pytorch-ssd's is_test outputs).
 */
final class DumpCommand implements Command {
    @Override
    public String name() {
        return "dump";
    }

    @Override
    public String usage() {
        return "dump     --model M --image I --layer P1,P2,... --out DIR   (.npy, float32, NCHW; also input, scores, boxes)";
    }

    @Override
    public Set<String> options() {
        return Set.of("model", "labels", "image", "layer", "out");
    }

    @Override
    public Set<String> repeatable() {
        return Set.of("layer"); // each a comma-separated list, all dumped
    }

    @Override
    public int run(Args a, Context c) throws Exception {
        // each once: a layer named twice was written twice
        java.util.LinkedHashSet<String> named = new java.util.LinkedHashSet<>();
        for (String l : a.all("layer")) {
            Arrays.stream(l.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(named::add);
        }
        List<String> layers = new ArrayList<>(named);
        if (layers.isEmpty()) {
            throw new Args.UsageException("dump: --layer is required");
        }
        Path dir = Paths.get(a.require("out"));
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            // before the pass; it said "already exists" after it
            throw new IOException(dir + ": a file, not a folder to write the .npy files into");
        }
        Model m = c.model(a);
        var img = c.read(Paths.get(a.require("image")));
        try (Inspection ins = m.inspect(img, null, null)) {
            for (String l : layers) {
                if (!Set.of("scores", "boxes", "input").contains(l) && ins.event(l) == null) {
                    throw new IOException("no module '" + l + "' with an output in " + m.name()
                            + " (try 'layerlens summary' for the names)");
                }
            }
            Files.createDirectories(dir);
            DetectorOutput o = ins.output();
            for (String l : layers) {
                Path f = dir.resolve(l.replace('/', '.') + ".npy"); // TF scope paths hold slashes
                switch (l) {
                    case "scores" -> Npy.write(f, o.scores(), new long[] {1, o.priors(), o.classes()});
                    case "boxes" -> Npy.write(f, o.boxes(), new long[] {1, o.priors(), 4});
                    default -> {
                        LayerData d = l.equals("input") ? ins.input() : ins.layer(l);
                        if (d.flat) {
                            Npy.write(f, d.values, new long[] {1, d.height, d.channels});
                        } else {
                            Npy.write(f, d.chw(), new long[] {1, d.channels, d.height, d.width});
                        }
                    }
                }
                c.out.println("wrote " + f);
                if (m.notComparable().contains(l)) {
                    // an export that folded batch norm into the convolution: no tensor here is the
                    // convolution's own output, so this file differs from the PyTorch module's
                    c.err.println("layerlens: warning: " + l + " in " + m.name() + " is folded into a fused "
                            + "operation (e.g. batch norm into the convolution in an ONNX export): its values are the "
                            + "fused operation's output, not this module's own");
                }
            }
        }
        return 0;
    }
}

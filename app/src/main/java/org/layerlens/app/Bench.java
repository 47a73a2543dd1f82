package org.layerlens.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;

import org.layerlens.engine.Inspection;
import org.layerlens.engine.Model;
import org.layerlens.engine.exec.Execution;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.image.Preprocess;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The {@code bench} command: network passes only (preprocessing excluded), as PyTorch's bench. */
final class Bench {
    record Result(double fastMedian, double fastMin, double fastP90, double inspectMedian, double inspectMin,
                  double inspectP90, double rssAfterWarmupMb, double rssEndMb, double peakRssMb, double heapMb) {
    }

    private Bench() {
    }

    static Result run(Model m, LoadedImage img, int n, int warm, boolean doFast, boolean doInspect) throws IOException {
        INDArray x = Preprocess.toTensor(img, m.inputSize());
        for (int i = 0; i < warm; i++) {
            fast(m, x, img);
            inspect(m, x, img);
        }
        System.gc();
        double rss0 = rssMb("VmRSS");
        double[] f = new double[n];
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            f[i] = doFast ? fast(m, x, img) : Double.NaN;
            s[i] = doInspect ? inspect(m, x, img) : Double.NaN;
        }
        Runtime rt = Runtime.getRuntime();
        return new Result(q(f, 0.5), q(f, 0), q(f, 0.9), q(s, 0.5), q(s, 0), q(s, 0.9), rss0, rssMb("VmRSS"),
                rssMb("VmHWM"), (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
    }

    private static double fast(Model m, INDArray x, LoadedImage img) {
        long t = System.nanoTime();
        m.net().predict(x, m.newExecution(Execution.Mode.FAST, null), img.width(), img.height());
        return (System.nanoTime() - t) / 1e6;
    }

    private static double inspect(Model m, INDArray x, LoadedImage img) {
        long t = System.nanoTime();
        // the inspection owns its input: give it a copy, it closes everything it kept
        try (Inspection ins = Inspection.run(m, img, x.dup(), Execution.Mode.INSPECT, null, null)) {
            return (System.nanoTime() - t) / 1e6;
        }
    }

    private static double q(double[] v, double p) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[(int) Math.min(c.length - 1, Math.round(p * (c.length - 1)))];
    }

    /** Resident memory from /proc (Linux); NaN elsewhere. */
    static double rssMb(String field) {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}

package org.layerlens.engine.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.layerlens.engine.TestData;
import org.layerlens.engine.exec.Activations;
import org.layerlens.engine.exec.Executor;
import org.layerlens.engine.graph.Graph;
import org.layerlens.engine.io.CheckpointException;
import org.layerlens.engine.io.Json;
import org.layerlens.engine.io.Npy;
import org.layerlens.engine.io.TfliteModel;
import org.layerlens.engine.io.TfliteReader;
import org.layerlens.engine.nn.TfliteNet;

/**
 * Every TFLite operator LayerLens runs, one small graph at a time (tflite/cases.json, written by
 * reference/objects_v2/make_tflite_cases.py with the NumPy interpreter's output, whose kernels
 * test_ops.py checks against LiteRT.js): odd and even SAME padding, strides per axis, dilation,
 * depth multiplier, both pools (average counting only the taps inside), MEAN, FULLY_CONNECTED,
 * PAD, SOFTMAX with beta, LOGISTIC, ADD of maps and of a per-channel constant, CONCATENATION along
 * channels and along the box axis, RESHAPE, SQUEEZE. Each output within 1e-4 * max(1, max|ref|) in
 * the inspect and the fast pass. The files LayerLens must refuse (quantised, an operator it does
 * not run, a constant used as data, CONCATENATION with a fused activation) give one line naming
 * the file or the operator.
 */
class TfliteOpsTest {
    static Path dir() {
        return TestData.resource("tflite/cases.json").getParent();
    }

    /** A TFLite graph as a network whose one output is the file's first output. */
    static TfliteNet net(Path file) throws IOException {
        TfliteModel m = TfliteReader.read(file);
        LinkedHashMap<String, Integer> out = new LinkedHashMap<>();
        out.put("out", m.outputs()[0]);
        try {
            return TfliteNet.of(m, out, List.of());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, e.getMessage(), e);
        }
    }

    @Test
    void everyOperatorMatchesTheNumPyInterpreter() throws Exception {
        List<?> cases = (List<?>) Json.parse(Files.readString(dir().resolve("cases.json")));
        int ran = 0;
        List<String> lines = new ArrayList<>();
        for (Object o : cases) {
            Map<?, ?> c = (Map<?, ?>) o;
            if (c.containsKey("refuse")) {
                continue;
            }
            String title = (String) c.get("title");
            TfliteNet net = net(dir().resolve((String) c.get("file")));
            Graph g = net.trace();
            Npy.Array x = Npy.read(dir().resolve((String) c.get("input")));
            Npy.Array want = Npy.read(dir().resolve((String) c.get("expected")));
            try (Executor ex = new Executor(g)) {
                float[] fast = ex.fast(x.data(), null).get("out");
                float[] inspect;
                try (Activations a = ex.inspect(x.data(), null, null)) {
                    inspect = a.outputs().get("out");
                }
                double worst = 0;
                for (float[] got : new float[][] {inspect, fast}) {
                    worst = Math.max(worst, TestData.parityRatio(got, want.data(), title));
                }
                lines.add(String.format("  %-62s %.4f", title, worst));
            }
            ran++;
        }
        System.out.println("TFLite operators vs NumPy (worst diff / tolerance, inspect and fast):");
        lines.forEach(System.out::println);
        assertTrue(ran >= 25, "ran " + ran + " cases");
    }

    @Test
    void whatCannotRunIsRefusedInOneLine() throws Exception {
        List<?> cases = (List<?>) Json.parse(Files.readString(dir().resolve("cases.json")));
        int refused = 0;
        for (Object o : cases) {
            Map<?, ?> c = (Map<?, ?>) o;
            if (!c.containsKey("refuse")) {
                continue;
            }
            Path f = dir().resolve((String) c.get("file"));
            try {
                net(f).trace();
                fail(c.get("title") + ": accepted");
            } catch (CheckpointException e) {
                String msg = e.getMessage();
                System.out.println("refused: " + msg);
                assertTrue(msg.startsWith(f + ": "), msg);
                assertTrue(msg.contains((String) c.get("refuse")), c.get("title") + ": " + msg);
                assertTrue(!msg.contains("\n"), msg);
            } catch (IllegalArgumentException e) {
                // refused while tracing (shapes): the format turns these into CheckpointExceptions too
                assertTrue(e.getMessage().contains((String) c.get("refuse")), c.get("title") + ": " + e.getMessage());
            }
            refused++;
        }
        assertEquals(6, refused);
    }

    @Test
    void weightsArePyTorchsLayout() throws Exception {
        // CONV_2D 3x2 s(1,2): TFLite [out, kh, kw, in] = [3, 3, 2, 2] -> PyTorch [3, 2, 3, 2]
        TfliteNet net = net(dir().resolve("ops/conv-2d-3x2-s-1-2--valid--relu.tflite"));
        var layer = net.modules().get(1);
        assertNotNull(layer.params().get("weight"), net.toString());
        assertArrayEquals(new long[] {3, 2, 3, 2}, layer.params().get("weight").shape());
        assertEquals(3 * 2 * 3 * 2 + 3, layer.parameterCount());
    }
}

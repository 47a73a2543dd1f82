package org.layerlens.engine.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The heads of a TF Object Detection API SSD exported to TFLite without its post-processing: the
 * graph's two outputs, box encodings {@code [1, N, 4]} and class predictions {@code [1, N, C]}
 * (in that order, as MediaPipe takes them, unless their names say otherwise), are reshapes and
 * concatenations (along the box axis) of head convolutions' maps {@code [1, H, W, A * 4]} and
 * {@code [1, H, W, A * C]}. Reshapes keep the row-major order, so box index n runs head by head,
 * row, column, anchor: the order the engine's HeadLayout uses for the raw maps. Anything else is not
 * an SSD LayerLens can explain, and is refused naming what was found.
 *
 * @param heads   per head (largest map first): its box and class convolution outputs and the map they read
 */
record TfliteHeads(List<Head> heads, int classes) {
    record Head(int boxTensor, int classTensor, int source, int rows, int cols, int anchors) {
    }

    static TfliteHeads find(TfliteModel m) throws CheckpointException {
        int[] outs = m.outputs();
        if (outs.length != 2) {
            throw new CheckpointException(m.file(), "has " + outs.length + (outs.length == 1 ? " output" : " outputs") + "; LayerLens explains TF Object "
                    + "Detection SSDs exported without post-processing (box encodings and class predictions)");
        }
        int box = outs[0];
        int cls = outs[1];
        if (m.tensor(box).name().contains("class_predictions") || m.tensor(cls).name().contains("box_encodings")) {
            box = outs[1];
            cls = outs[0];
        }
        int[] bs = m.tensor(box).shape();
        int[] cs = m.tensor(cls).shape();
        if (bs.length != 3 || bs[0] != 1 || bs[2] != 4 || cs.length != 3 || cs[0] != 1 || cs[1] != bs[1] || cs[2] < 2) {
            throw new CheckpointException(m.file(), "has outputs " + Arrays.toString(bs) + " and "
                    + Arrays.toString(cs) + ", not an SSD's box encodings [1, N, 4] and class predictions [1, N, C]");
        }
        int classes = cs[2];
        Map<Integer, TfliteModel.Operator> producer = m.producers();
        List<Integer> boxMaps = new ArrayList<>();
        List<Integer> classMaps = new ArrayList<>();
        maps(m, producer, box, boxMaps, new java.util.HashSet<>());
        maps(m, producer, cls, classMaps, new java.util.HashSet<>());
        if (boxMaps.size() != classMaps.size()) {
            throw new CheckpointException(m.file(), "has " + boxMaps.size() + " box heads but " + classMaps.size()
                    + " class heads");
        }
        List<Head> heads = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < boxMaps.size(); i++) {
            int[] b = m.tensor(boxMaps.get(i)).shape();
            int[] c = m.tensor(classMaps.get(i)).shape();
            TfliteModel.Operator bp = producer.get(boxMaps.get(i));
            TfliteModel.Operator cp = producer.get(classMaps.get(i));
            boolean ok = b[1] == c[1] && b[2] == c[2] && b[3] % 4 == 0 && b[3] > 0
                    && c[3] == b[3] / 4 * classes && input(m, bp) == input(m, cp);
            if (!ok) {
                throw new CheckpointException(m.file(), "head " + i + ": box map " + Arrays.toString(b)
                        + " and class map " + Arrays.toString(c) + " (" + classes + " classes) do not pair up");
            }
            heads.add(new Head(boxMaps.get(i), classMaps.get(i), input(m, bp), b[1], b[2], b[3] / 4));
            total += (long) b[1] * b[2] * (b[3] / 4);
        }
        if (total != bs[1]) {
            throw new CheckpointException(m.file(), "its heads give " + total + " boxes but the outputs hold " + bs[1]);
        }
        return new TfliteHeads(heads, classes);
    }

    private static int input(TfliteModel m, TfliteModel.Operator op) throws CheckpointException {
        if (op.inputs().length == 0 || op.inputs()[0] < 0) {
            throw new CheckpointException(m.file(), m.where(op) + " has no input");
        }
        return op.inputs()[0];
    }

    /** The head convolutions' outputs behind {@code tensor}, in concatenation order. */
    private static void maps(TfliteModel m, Map<Integer, TfliteModel.Operator> producer, int tensor, List<Integer> out,
                             java.util.Set<Integer> seen) throws CheckpointException {
        TfliteModel.Operator op = producer.get(tensor);
        String name = m.tensor(tensor).opName();
        if (!seen.add(tensor)) {
            throw new CheckpointException(m.file(), "the graph reads \"" + name + "\" in a cycle");
        }
        if (op == null) {
            throw new CheckpointException(m.file(), "the SSD output behind \"" + name + "\" is not computed by a "
                    + "head convolution");
        }
        switch (op.kind()) {
            case "RESHAPE", "SQUEEZE" -> maps(m, producer, input(m, op), out, seen);
            case "CONCATENATION" -> {
                int rank = m.tensor(op.outputs()[0]).shape().length;
                int axis = op.options().axis() < 0 ? op.options().axis() + rank : op.options().axis();
                if (axis != 1 || !op.options().activation().equals("NONE")) {
                    throw new CheckpointException(m.file(), m.where(op) + " concatenates along axis "
                            + op.options().axis() + "; an SSD's heads are joined along the box axis (1)");
                }
                for (int in : op.inputs()) {
                    if (in < 0) {
                        throw new CheckpointException(m.file(), m.where(op) + " has an omitted input");
                    }
                    maps(m, producer, in, out, seen);
                }
            }
            case "CONV_2D" -> {
                int[] s = m.tensor(tensor).shape();
                if (s.length != 4 || s[0] != 1) {
                    throw new CheckpointException(m.file(), m.where(op) + " is not a head map [1, H, W, C]: "
                            + Arrays.toString(s));
                }
                out.add(tensor);
            }
            default -> throw new CheckpointException(m.file(), m.where(op) + " stands between the SSD's outputs "
                    + "and its head convolutions (only reshapes and concatenations may)");
        }
    }
}

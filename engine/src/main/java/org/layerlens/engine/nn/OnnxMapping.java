package org.layerlens.engine.nn;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.layerlens.engine.io.CheckpointException;
import org.layerlens.engine.io.OnnxReader;
import org.layerlens.engine.io.StateDict;
import org.layerlens.engine.io.TensorData;

/**
 * Maps an ONNX export of a pytorch-ssd model onto the module tree: the graph's convolutions, in
 * order, onto the tree's Conv2d modules in the order pytorch-ssd's forward runs them (heads right
 * after their source), checking every shape, group, stride and padding. Exports with batch norm
 * folded into the convolutions (the default for eval-mode export) load the folded bias into the
 * batch norm that follows, which then is the identity plus that bias.
 */
public final class OnnxMapping {
    private OnnxMapping() {
    }

    /** Leaves in the order pytorch-ssd's {@code SSD.forward} runs them. */
    public static List<Module> pytorchOrder(SSD net) {
        List<Module> out = new ArrayList<>();
        ModuleList cls = (ModuleList) net.child("classification_headers");
        ModuleList reg = (ModuleList) net.child("regression_headers");
        visit(net.baseNet(), net, cls, reg, out);
        for (Module e : net.extras().childList()) {
            visit(e, net, cls, reg, out);
        }
        return out;
    }

    private static void visit(Module m, SSD net, ModuleList cls, ModuleList reg, List<Module> out) {
        if (m.children().isEmpty()) {
            out.add(m);
        } else {
            for (Module c : m.childList()) {
                visit(c, net, cls, reg, out);
            }
        }
        int src = net.sourcePaths().indexOf(m.path());
        if (src >= 0) {
            leaves(cls.get(src), out);
            leaves(reg.get(src), out);
        }
    }

    private static void leaves(Module m, List<Module> out) {
        if (m.children().isEmpty()) {
            out.add(m);
        }
        for (Module c : m.childList()) {
            leaves(c, out);
        }
    }

    public static SSD build(Path file, OnnxReader.Graph g, List<String> notes) throws CheckpointException {
        List<OnnxReader.Conv> convs = new ArrayList<>();
        List<OnnxReader.BatchNorm> bns = new ArrayList<>();
        for (Object o : g.layers()) {
            if (o instanceof OnnxReader.Conv c) {
                convs.add(c);
            } else {
                bns.add((OnnxReader.BatchNorm) o);
            }
        }
        List<String> tried = new ArrayList<>();
        for (String arch : Architectures.ALL) {
            SSD probe = Architectures.build(arch, 2);
            List<Conv2d> probeConvs = convsOf(pytorchOrder(probe));
            if (probeConvs.size() != convs.size()) {
                tried.add(arch + " has " + probeConvs.size() + " convolutions");
                continue;
            }
            Module clsLast = last(probe.child("classification_headers").child("0"));
            long c = convs.get(probeConvs.indexOf((Conv2d) clsLast)).weight().shape()[0];
            if (c % 6 != 0 || c < 12) {
                tried.add(arch + ": first classification head has " + c + " channels");
                continue;
            }
            SSD model = Architectures.build(arch, (int) (c / 6));
            try {
                StateDict sd = stateDict(file, model, convs, bns);
                StateDictLoader.load(model, sd);
            } catch (Mismatch e) {
                tried.add(arch + ": " + e.getMessage());
                continue;
            }
            notes.add("ONNX export: " + convs.size() + " convolutions mapped in order onto " + arch + (bns.isEmpty()
                    ? "; batch norm was folded into the convolutions, so each BatchNorm2d shows the identity "
                      + "plus the folded bias and the Conv2d before it the convolution without bias"
                    : "; " + bns.size() + " batch norms"));
            return model;
        }
        throw new CheckpointException(file, "ONNX graph with " + convs.size() + " convolutions fits no known "
                + "architecture (" + String.join("; ", tried) + ")");
    }

    private static final class Mismatch extends Exception {
        Mismatch(String m) {
            super(m);
        }
    }

    private static Module last(Module m) {
        List<Module> l = new ArrayList<>();
        leaves(m, l);
        return l.get(l.size() - 1);
    }

    private static List<Conv2d> convsOf(List<Module> order) {
        List<Conv2d> out = new ArrayList<>();
        for (Module m : order) {
            if (m instanceof Conv2d c) {
                out.add(c);
            }
        }
        return out;
    }

    private static StateDict stateDict(Path file, SSD model, List<OnnxReader.Conv> convs,
                                       List<OnnxReader.BatchNorm> bns) throws Mismatch {
        List<Module> order = pytorchOrder(model);
        LinkedHashMap<String, TensorData> t = new LinkedHashMap<>();
        int ci = 0;
        int bi = 0;
        for (int i = 0; i < order.size(); i++) {
            Module m = order.get(i);
            if (m instanceof Conv2d conv) {
                OnnxReader.Conv oc = convs.get(ci++);
                long[] want = conv.tensors().get("weight").shape;
                if (!Arrays.equals(want, oc.weight().shape()) || oc.group() != conv.groups
                        || oc.stride() != conv.stride || oc.pad() != conv.padding) {
                    throw new Mismatch("convolution " + (ci - 1) + " ('" + oc.name() + "') has weight "
                            + TensorData.torchSize(oc.weight().shape()) + ", group " + oc.group() + ", stride "
                            + oc.stride() + ", pad " + oc.pad() + " but " + conv.path() + " needs "
                            + TensorData.torchSize(want) + ", group " + conv.groups + ", stride " + conv.stride
                            + ", pad " + conv.padding);
                }
                t.put(conv.path() + ".weight", oc.weight());
                TensorData bias = oc.bias() != null ? oc.bias() : new TensorData(new long[] {conv.out},
                        new float[conv.out], "float32");
                Module next = i + 1 < order.size() ? order.get(i + 1) : null;
                BatchNorm2d folded = bns.isEmpty() && next instanceof BatchNorm2d bn ? bn : null;
                if (conv.bias) {
                    t.put(conv.path() + ".bias", bias);
                    if (folded != null) {
                        identity(t, folded, new TensorData(new long[] {folded.features}, new float[folded.features],
                                "float32"));
                    }
                } else if (folded != null) {
                    identity(t, folded, bias);
                } else if (oc.bias() != null) {
                    throw new Mismatch(conv.path() + " has no bias but the export gives one");
                }
            } else if (m instanceof BatchNorm2d bn && !bns.isEmpty()) {
                if (bi >= bns.size()) {
                    throw new Mismatch("fewer BatchNormalization nodes than batch norms");
                }
                OnnxReader.BatchNorm b = bns.get(bi++);
                t.put(bn.path() + ".weight", b.scale());
                t.put(bn.path() + ".bias", b.bias());
                t.put(bn.path() + ".running_mean", b.mean());
                t.put(bn.path() + ".running_var", b.var());
            }
        }
        if (!bns.isEmpty() && bi != bns.size()) {
            throw new Mismatch(bns.size() + " BatchNormalization nodes for " + bi + " batch norms");
        }
        return new StateDict(file, t);
    }

    private static void identity(Map<String, TensorData> t, BatchNorm2d bn, TensorData bias) {
        int c = bn.features;
        float[] ones = new float[c];
        float[] var = new float[c];
        Arrays.fill(ones, 1f);
        Arrays.fill(var, (float) (1.0 - bn.eps)); // var + eps = 1: the scale is 1
        long[] s = {c};
        t.put(bn.path() + ".weight", new TensorData(s, ones, "float32"));
        t.put(bn.path() + ".bias", bias);
        t.put(bn.path() + ".running_mean", new TensorData(s, new float[c], "float32"));
        t.put(bn.path() + ".running_var", new TensorData(s, var, "float32"));
    }
}

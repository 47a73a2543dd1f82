package org.layerlens.engine.nn;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.layerlens.engine.io.CheckpointException;
import org.layerlens.engine.io.StateDict;
import org.layerlens.engine.io.TensorData;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the module tree a state_dict describes and loads it with PyTorch's strict rules: every
 * problem is gathered and reported once, in the words of {@code load_state_dict}.
 */
public final class StateDictLoader {
    private StateDictLoader() {
    }

    /** Recognises the architecture from keys and shapes and returns the loaded model. */
    public static SSD build(StateDict sd) throws CheckpointException {
        Path file = sd.source();
        String arch;
        String headKey;
        if (sd.get("base_net.14.conv.3.weight") != null) {
            arch = Architectures.MB2_SSD_LITE;
            headKey = "classification_headers.0.3.weight";
        } else if (sd.get("base_net.13.3.weight") != null && sd.get("extras.0.2.0.weight") != null) {
            arch = Architectures.MB1_SSD_LITE;
            headKey = "classification_headers.0.2.weight";
        } else if (sd.get("base_net.13.3.weight") != null) {
            arch = Architectures.MB1_SSD;
            headKey = "classification_headers.0.weight";
        } else {
            throw new CheckpointException(file, closest(sd));
        }
        TensorData cls = sd.get(headKey);
        if (cls == null || cls.shape().length != 4) {
            throw new CheckpointException(file, "looks like " + arch + " but has no 4-d \"" + headKey + "\"");
        }
        long c = cls.shape()[0];
        if (c % 6 != 0 || c < 12) {
            throw new CheckpointException(file, headKey + " has " + c + " output channels; an SSD head has 6 per class");
        }
        SSD model = Architectures.build(arch, (int) (c / 6));
        load(model, sd);
        return model;
    }

    /** Names the known architecture whose keys overlap most, and the first keys that differ. */
    static String closest(StateDict sd) {
        String best = null;
        List<String> missing = List.of();
        List<String> extra = List.of();
        double bestScore = -1;
        for (String arch : Architectures.ALL) {
            Set<String> want = new java.util.LinkedHashSet<>();
            Architectures.build(arch, 2).forEachTensor((k, t) -> want.add(k));
            Set<String> have = sd.tensors().keySet();
            long common = want.stream().filter(have::contains).count();
            double score = (double) common / want.size();
            if (score > bestScore) {
                bestScore = score;
                best = arch;
                missing = want.stream().filter(k -> !have.contains(k)).limit(3).collect(Collectors.toList());
                extra = have.stream().filter(k -> !want.contains(k)).limit(3).collect(Collectors.toList());
            }
        }
        return String.format(java.util.Locale.ROOT, "matches no known architecture (%s); closest is %s "
                + "with %.0f%% of its keys; first keys it lacks: %s; first keys it does not expect: %s",
                String.join(", ", Architectures.ALL), best, 100 * bestScore, missing, extra);
    }

    /** Copies every tensor into {@code model}; fails once, listing every problem. */
    public static void load(Module model, StateDict sd) throws CheckpointException {
        List<String> missing = new ArrayList<>();
        List<String> mismatch = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        model.forEachTensor((key, slot) -> {
            expected.add(key);
            TensorData t = sd.get(key);
            if (t == null) {
                if (!slot.optional) {
                    missing.add(key);
                }
            } else if (!Arrays.equals(t.shape(), slot.shape)) {
                mismatch.add("size mismatch for " + key + ": copying a param with shape "
                        + TensorData.torchSize(t.shape()) + " from checkpoint, the shape in current model is "
                        + TensorData.torchSize(slot.shape) + ".");
            }
        });
        List<String> unexpected = new ArrayList<>();
        for (String k : sd.tensors().keySet()) {
            if (!expected.contains(k)) {
                unexpected.add(k);
            }
        }
        List<String> errors = new ArrayList<>();
        if (!missing.isEmpty()) {
            errors.add("Missing key(s) in state_dict: " + quoted(missing) + ". ");
        }
        if (!unexpected.isEmpty()) {
            errors.add("Unexpected key(s) in state_dict: " + quoted(unexpected) + ". ");
        }
        errors.addAll(mismatch);
        if (!errors.isEmpty()) {
            throw new CheckpointException(sd.source(), "Error(s) in loading state_dict for "
                    + model.typeName() + ":\n\t" + String.join("\n\t", errors));
        }
        model.forEachTensor((key, slot) -> {
            TensorData t = sd.get(key);
            if (t != null && !slot.optional) {
                int bad = 0;
                for (float f : t.data()) {
                    if (!Float.isFinite(f)) {
                        bad++;
                    }
                }
                if (bad > 0) {
                    sd.note("warning: " + key + " holds " + bad + " NaN/Inf value(s)");
                }
                slot.value = Nd4j.create(t.data(), slot.shape, 'c');
            }
        });
        model.notifyLoaded();
    }

    private static String quoted(List<String> keys) {
        return keys.stream().map(k -> "\"" + k + "\"").collect(Collectors.joining(", "));
    }

    static Map<String, Module.Tensor> slots(Module m) {
        return m.tensors();
    }
}

package org.layerlens.engine.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.layerlens.engine.io.CheckpointException;
import org.layerlens.engine.io.StateDict;
import org.layerlens.engine.io.TensorData;

/**
 * Loads a state_dict into a module tree with PyTorch's strict rules: every problem is gathered
 * and reported once, in the words of {@code load_state_dict}.
 */
public final class StateDictLoader {
    private StateDictLoader() {
    }

    /** Copies every tensor into {@code model}; fails once, listing every problem. */
    public static void load(Module model, String rootName, StateDict sd) throws CheckpointException {
        List<String> missing = new ArrayList<>();
        List<String> mismatch = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        model.forEachParam((key, slot) -> {
            expected.add(key);
            TensorData t = sd.get(key);
            if (t == null) {
                if (!slot.optional()) {
                    missing.add(key);
                }
            } else if (!slot.optional() && !Arrays.equals(t.shape(), slot.shape())) {
                mismatch.add("size mismatch for " + key + ": copying a param with shape "
                        + TensorData.torchSize(t.shape()) + " from checkpoint, the shape in current model is "
                        + TensorData.torchSize(slot.shape()) + ".");
            }
        });
        List<String> unexpected = new ArrayList<>();
        for (String k : sd.tensors().keySet()) {
            if (!expected.contains(k)) {
                unexpected.add(k);
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !mismatch.isEmpty()) {
            throw new CheckpointException(sd.source(), errors(rootName, missing, unexpected, mismatch));
        }
        model.forEachParam((key, slot) -> {
            TensorData t = sd.get(key);
            if (t != null && !slot.optional()) {
                int bad = 0;
                for (float f : t.data()) {
                    if (!Float.isFinite(f)) {
                        bad++;
                    }
                }
                if (bad > 0) {
                    sd.note("warning: " + key + " holds " + bad + " NaN/Inf value(s)");
                }
                slot.set(t);
            }
        });
    }

    /** PyTorch's load_state_dict message for these problems (each list may be empty). */
    public static String errors(String rootName, List<String> missing, List<String> unexpected,
                                List<String> mismatch) {
        List<String> errors = new ArrayList<>();
        if (!missing.isEmpty()) {
            errors.add("Missing key(s) in state_dict: " + quoted(missing) + ". ");
        }
        if (!unexpected.isEmpty()) {
            errors.add("Unexpected key(s) in state_dict: " + quoted(unexpected) + ". ");
        }
        errors.addAll(mismatch);
        return "Error(s) in loading state_dict for " + rootName + ":\n\t" + String.join("\n\t", errors);
    }

    private static String quoted(List<String> keys) {
        return keys.stream().map(k -> "\"" + k + "\"").collect(Collectors.joining(", "));
    }
}

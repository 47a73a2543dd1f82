package org.layerlens.engine.arch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.layerlens.engine.io.CheckpointException;
import org.layerlens.engine.io.StateDict;
import org.layerlens.engine.io.TensorData;
import org.layerlens.engine.nn.Detector;
import org.layerlens.engine.nn.StateDictLoader;

/**
 * The registry of architectures LayerLens builds, and recognition of a state_dict: the
 * architecture whose (class-independent) key set the file's keys contain, most specific first;
 * the class count from its first classification head. Anything else fails naming the closest
 * architecture and the keys that differ.
 */
public final class Architectures {
    private static final List<ArchitectureSpec> ALL = List.of(PytorchSsd.MB2, PytorchSsd.MB1, PytorchSsd.MB1_LITE,
            MobileNetV3SsdLite.LARGE_SPEC, MobileNetV3SsdLite.SMALL_SPEC, Vgg16Ssd.SPEC, SqueezeNetSsdLite.SPEC,
            FaceApi.SPEC);
    private static final Map<String, Set<String>> KEYS = new ConcurrentHashMap<>();
    private static final Map<String, Set<String>> ALL_KEYS = new ConcurrentHashMap<>();
    /** "All but a few keys": at most this share of an architecture's keys missing or unexpected. */
    private static final double NEAR = 0.05;

    private Architectures() {
    }

    public static List<ArchitectureSpec> all() {
        return ALL;
    }

    public static List<String> names() {
        return ALL.stream().map(ArchitectureSpec::name).collect(Collectors.toList());
    }

    public static ArchitectureSpec get(String name) {
        for (ArchitectureSpec s : ALL) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown architecture '" + name + "' (known: " + String.join(", ", names())
                + ")");
    }

    /** The non-optional state_dict keys of an architecture (they do not depend on the class count). */
    public static Set<String> keys(ArchitectureSpec spec) {
        return KEYS.computeIfAbsent(spec.name(), n -> {
            Set<String> k = new LinkedHashSet<>();
            spec.build(Math.max(2, spec.fixedClasses())).forEachParam((key, p) -> {
                if (!p.optional()) {
                    k.add(key);
                }
            });
            return k;
        });
    }

    /** Every state_dict key of an architecture, optional ones (num_batches_tracked) included. */
    static Set<String> allKeys(ArchitectureSpec spec) {
        return ALL_KEYS.computeIfAbsent(spec.name(), n -> {
            Set<String> k = new LinkedHashSet<>();
            spec.build(Math.max(2, spec.fixedClasses())).forEachParam((key, p) -> k.add(key));
            return k;
        });
    }

    /** An architecture and class count recognised from a state_dict. */
    public record Recognised(ArchitectureSpec spec, int classes) {
    }

    public static Recognised recognise(StateDict sd) throws CheckpointException {
        Path file = sd.source();
        Set<String> have = sd.tensors().keySet();
        ArchitectureSpec best = null;
        for (ArchitectureSpec s : ALL) {
            Set<String> want = keys(s);
            if (have.containsAll(want) && (best == null || want.size() > keys(best).size())) {
                best = s;
            }
        }
        if (best == null) {
            ArchitectureSpec near = nearest(sd);
            if (near != null) {
                throw new CheckpointException(file, loadErrors(near, sd));
            }
            throw new CheckpointException(file, closest(sd));
        }
        if (best.classKey() == null) {
            return new Recognised(best, best.fixedClasses());
        }
        TensorData cls = sd.get(best.classKey());
        if (cls.shape().length != 4) {
            throw new CheckpointException(file, "looks like " + best.name() + " but \"" + best.classKey()
                    + "\" is not 4-d: " + TensorData.torchSize(cls.shape()));
        }
        long c = cls.shape()[0];
        int a = best.classAnchors();
        if (c % a != 0) {
            throw new CheckpointException(file, best.classKey() + " has " + c + " output channels, not a multiple of "
                    + best.name() + "'s " + a + " anchors per cell in its first head");
        }
        if (c == a) {
            throw new CheckpointException(file, best.classKey() + " has " + c + " output channels, one per anchor of "
                    + best.name() + "'s first head (" + a + "): a single class, BACKGROUND alone; a detector needs "
                    + "at least one object class besides BACKGROUND");
        }
        if (c == 0) {
            throw new CheckpointException(file, best.classKey() + " has 0 output channels: no classes at all, not "
                    + "even BACKGROUND");
        }
        return new Recognised(best, (int) (c / a));
    }

    /**
     * The architecture the state_dict clearly is, all but a few keys (at most {@link #NEAR} of its
     * keys missing, and as many unexpected ones, optional keys such as num_batches_tracked aside),
     * or null.
     */
    static ArchitectureSpec nearest(StateDict sd) {
        Set<String> have = sd.tensors().keySet();
        ArchitectureSpec best = null;
        long bestDiff = Long.MAX_VALUE;
        for (ArchitectureSpec s : ALL) {
            Set<String> want = keys(s);
            Set<String> all = allKeys(s);
            long missing = want.stream().filter(k -> !have.contains(k)).count();
            long unexpected = have.stream().filter(k -> !all.contains(k)).count();
            long limit = (long) Math.floor(NEAR * want.size());
            if (missing <= limit && unexpected <= limit && missing + unexpected < bestDiff) {
                bestDiff = missing + unexpected;
                best = s;
            }
        }
        return best;
    }

    /**
     * PyTorch's load_state_dict message for a state_dict that nearly fits {@code spec}: with size
     * mismatches where the first head gives the class count, else its missing and unexpected keys.
     */
    static String loadErrors(ArchitectureSpec spec, StateDict sd) {
        int classes = spec.classKey() == null ? spec.fixedClasses() : 0;
        TensorData cls = spec.classKey() == null ? null : sd.get(spec.classKey());
        if (cls != null && cls.shape().length == 4 && cls.shape()[0] % spec.classAnchors() == 0
                && cls.shape()[0] >= 2L * spec.classAnchors() && cls.shape()[0] / spec.classAnchors() < 100_000) {
            classes = (int) (cls.shape()[0] / spec.classAnchors());
        }
        if (classes > 0) {
            Detector tree = spec.build(classes);
            try {
                StateDictLoader.load(tree, tree.rootName(), sd);
            } catch (CheckpointException e) {
                return e.problem();
            }
        }
        Set<String> have = sd.tensors().keySet();
        Set<String> all = allKeys(spec);
        List<String> missing = keys(spec).stream().filter(k -> !have.contains(k)).toList();
        List<String> unexpected = have.stream().filter(k -> !all.contains(k)).toList();
        return StateDictLoader.errors(spec.build(Math.max(2, spec.fixedClasses())).rootName(), missing, unexpected,
                List.of());
    }

    /** Names the known architecture whose keys overlap most, and the first keys that differ. */
    static String closest(StateDict sd) {
        Set<String> have = sd.tensors().keySet();
        ArchitectureSpec best = null;
        double bestScore = -1;
        for (ArchitectureSpec s : ALL) {
            Set<String> want = keys(s);
            double score = (double) want.stream().filter(have::contains).count() / want.size();
            if (score > bestScore) {
                bestScore = score;
                best = s;
            }
        }
        Set<String> want = keys(best);
        List<String> missing = want.stream().filter(k -> !have.contains(k)).limit(3).collect(Collectors.toList());
        Set<String> all = allKeys(best);
        List<String> extra = new ArrayList<>(have.stream().filter(k -> !all.contains(k)).limit(3).toList());
        return String.format(Locale.ROOT, "matches no known architecture (%s); closest is %s "
                + "with %.0f%% of its keys; first keys it lacks: %s; first keys it does not expect: %s",
                String.join(", ", names()), best.name(), 100 * bestScore, missing, extra);
    }
}

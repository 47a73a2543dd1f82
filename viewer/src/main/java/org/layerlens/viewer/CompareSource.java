package org.layerlens.viewer;

import java.nio.file.Path;
import java.util.Locale;

import org.layerlens.engine.analysis.Calibration;
import org.layerlens.engine.analysis.DatasetStats;
import org.layerlens.engine.analysis.Int8Simulation;
import org.layerlens.engine.api.Model;

/**
 * What the window's model and image (run A) are compared with: another model on the same image
 * (a file or bundled name, a model already in memory, the current model's simulated int8
 * version), or the same model on another image (a file, or the current image made different).
 */
public sealed interface CompareSource {
    /** What B is, for the pane's header ("B: faces-v1", "B: coffee.png mirrored"). */
    String describe();

    /** Whether B runs the window's model on another image (else another model on the window's image). */
    default boolean otherImage() {
        return false;
    }

    /**
     * What {@code --compare} takes: {@code mirrored}, {@code darker[:FACTOR]} (default 0.5),
     * {@code jpeg[:QUALITY]} (default 20), {@code image:FILE}, {@code int8-per-channel:CAL.json[:RANGE]}
     * or {@code int8-per-tensor:...} (a stats --json file or calibration table; minmax, p999, p9999),
     * or else a model: a file or a bundled name. {@link IllegalArgumentException} with one line.
     */
    public static CompareSource parse(String spec) {
        String[] p = spec.split(":", 2);
        String arg = p.length > 1 ? p[1] : null;
        try {
            switch (p[0]) {
                case "mirrored":
                    return new Variant(ImageVariants.Kind.MIRRORED, 0);
                case "darker":
                    double f = arg == null ? 0.5 : Double.parseDouble(arg);
                    if (!(f > 0 && f <= 1)) {
                        throw new NumberFormatException();
                    }
                    return new Variant(ImageVariants.Kind.DARKER, f);
                case "jpeg":
                    int q = arg == null ? 20 : Integer.parseInt(arg);
                    if (q < 1 || q > 100) {
                        throw new NumberFormatException();
                    }
                    return new Variant(ImageVariants.Kind.JPEG, q);
                case "image":
                    return new ImageFile(Path.of(arg));
                default:
                    break;
            }
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("--compare " + spec + ": darker:FACTOR (0 < FACTOR <= 1), "
                    + "jpeg:QUALITY (1..100), image:FILE");
        }
        Int8Simulation.Weights w = Int8Simulation.Weights.parse(p[0]);
        if (w != null) {
            if (arg == null) {
                throw new IllegalArgumentException("--compare " + spec + ": the int8 what-if needs a calibration file, "
                        + p[0] + ":STATS_OR_TABLE.json[:minmax|p999|p9999]");
            }
            int colon = arg.lastIndexOf(':');
            String tail = colon < 0 ? "" : arg.substring(colon + 1);
            boolean ranged = tail.equals("minmax") || tail.equals("p999") || tail.equals("p9999");
            return new Int8File(Path.of(ranged ? arg.substring(0, colon) : arg),
                    Calibration.Choice.parse(ranged ? tail : "minmax"), w);
        }
        return new ModelRef(spec);
    }

    /** A model by what {@code --model} takes: a file's path or a bundled name. */
    record ModelRef(String ref) implements CompareSource {
        @Override
        public String describe() {
            return InspectorViewModel.shortName(ref);
        }
    }

    /** A model already opened (the engine API's own variants of a model, tests). */
    record Loaded(Model model) implements CompareSource {
        @Override
        public String describe() {
            return model.name();
        }
    }

    /** The window's model with int8 weights and activations simulated, ranges from a stats file or calibration table. */
    record Int8File(Path calibration, Calibration.Choice range, Int8Simulation.Weights weights) implements CompareSource {
        @Override
        public String describe() {
            return weights.key + " (" + range.key() + " ranges of " + calibration.getFileName() + ")";
        }
    }

    /** The same with ranges from the dataset statistics view's last run (of {@code model}: they fit no other). */
    record Int8Stats(Model model, DatasetStats stats, String folder, Calibration.Choice range,
                     Int8Simulation.Weights weights) implements CompareSource {
        @Override
        public String describe() {
            return weights.key + " (" + range.key() + " ranges over " + stats.images() + " images of " + folder + ")";
        }
    }

    /** Another image file on the window's model. */
    record ImageFile(Path file) implements CompareSource {
        @Override
        public String describe() {
            return file.getFileName().toString();
        }

        @Override
        public boolean otherImage() {
            return true;
        }
    }

    /** The window's image made different ({@link ImageVariants}); {@code amount} as the kind says. */
    record Variant(ImageVariants.Kind kind, double amount) implements CompareSource {
        @Override
        public String describe() {
            return switch (kind) {
                case MIRRORED -> "mirrored";
                case DARKER -> String.format(Locale.ROOT, "darker (x%.2f)", amount);
                case JPEG -> String.format(Locale.ROOT, "JPEG quality %d", Math.round(amount));
            };
        }

        @Override
        public boolean otherImage() {
            return true;
        }
    }
}

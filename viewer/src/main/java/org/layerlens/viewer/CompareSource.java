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

    /** The same with ranges from the dataset statistics view's last run. */
    record Int8Stats(DatasetStats stats, String folder, Calibration.Choice range, Int8Simulation.Weights weights)
            implements CompareSource {
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

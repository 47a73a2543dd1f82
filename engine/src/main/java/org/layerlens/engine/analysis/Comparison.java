package org.layerlens.engine.analysis;

import java.util.List;

import org.layerlens.engine.api.Detection;

/**
 * Where two runs part ways: every module they share, in A's execution order (children before
 * their parents), with its figures; the first module whose relative error exceeds the tolerance;
 * the modules only one side has; and both runs' detections with their pairing. Plain data, for
 * the CLI's JSON and a window pane alike.
 *
 * @param a       the first run's model (and image, when two models are compared)
 * @param b       the second run's model
 * @param image   the image both models saw, or run A's image
 * @param imageB  run B's image when one model saw two images, else null
 */
public record Comparison(String a, String b, String image, String imageB, double tolerance,
                         List<ModuleComparison> modules, String firstDivergent, List<String> onlyInA,
                         List<String> onlyInB, List<Detection> detectionsA, List<Detection> detectionsB,
                         List<DetectionPair> pairs) {

    /** The entry of {@code path}, or null. */
    public ModuleComparison module(String path) {
        for (ModuleComparison m : modules) {
            if (m.path().equals(path)) {
                return m;
            }
        }
        return null;
    }

    /** Modules compared (both sides have an output of the same shape that means the same). */
    public long comparedCount() {
        return modules.stream().filter(ModuleComparison::comparable).count();
    }
}

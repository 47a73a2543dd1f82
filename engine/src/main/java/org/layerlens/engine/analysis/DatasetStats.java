package org.layerlens.engine.analysis;

import java.util.List;

/** Statistics of every module output over a set of images; {@code skipped} names the files that could not be read. */
public record DatasetStats(String model, int images, List<String> skipped, List<ModuleStats> modules) {
    public ModuleStats module(String path) {
        for (ModuleStats m : modules) {
            if (m.path().equals(path)) {
                return m;
            }
        }
        return null;
    }
}

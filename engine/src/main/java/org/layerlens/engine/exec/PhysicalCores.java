package org.layerlens.engine.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The number of physical cores: on Linux the distinct (physical id, core id) pairs of
 * /proc/cpuinfo (hyper-threads share a core, and a second thread per core gives these
 * memory-bound kernels little); elsewhere the JVM's processor count.
 */
final class PhysicalCores {
    private PhysicalCores() {
    }

    static int count() {
        int logical = Runtime.getRuntime().availableProcessors();
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            Set<String> cores = new HashSet<>();
            String phys = "0";
            for (String l : lines) {
                if (l.startsWith("physical id")) {
                    phys = l.substring(l.indexOf(':') + 1).trim();
                } else if (l.startsWith("core id")) {
                    cores.add(phys + "/" + l.substring(l.indexOf(':') + 1).trim());
                }
            }
            // a container may see fewer CPUs than the machine has cores
            return cores.isEmpty() ? logical : Math.max(1, Math.min(cores.size(), logical));
        } catch (IOException | RuntimeException e) {
            return logical;
        }
    }
}

package org.layerlens.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Paths inside the repository, found upwards from the module's working directory. */
final class Repo {
    private Repo() {
    }

    static Path root() {
        for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("sample-images")) && Files.isDirectory(d.resolve("engine"))) {
                return d;
            }
        }
        throw new IllegalStateException("repository root not found");
    }

    static Path randomModel() {
        return root().resolve("engine/src/test/resources/reference/mb2-ssd-lite-random-4.pth");
    }

    static Path sample(String name) {
        return root().resolve("sample-images").resolve(name);
    }
}

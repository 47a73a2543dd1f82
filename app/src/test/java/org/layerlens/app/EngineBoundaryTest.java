package org.layerlens.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * ND4J stays behind the engine's execution boundary: no source of the viewer or the app names
 * org.nd4j, and no public method of the engine's API hands out or takes an ND4J type.
 */
class EngineBoundaryTest {
    @Test
    void viewerAndAppNeverNameNd4j() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (String module : List.of("viewer/src/main/java", "app/src/main/java")) {
            try (Stream<Path> files = Files.walk(Repo.root().resolve(module))) {
                files.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
                    try {
                        if (Files.readString(p).contains("org.nd4j")) {
                            offenders.add(Repo.root().relativize(p).toString());
                        }
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
            }
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void theEngineApiSignaturesHaveNoNd4jTypes() throws Exception {
        List<String> offenders = new ArrayList<>();
        int checked = 0;
        for (String name : List.of("Model", "Inspection", "DetectorOutput", "LayerData", "Detection", "Provenance",
                "Box", "PriorMatch", "PriorQuery", "ClassScores", "ModuleEvent", "ModuleObserver", "DetectionsJson", "ExplainJson",
                "EngineThreads")) {
            Class<?> c = Class.forName("org.layerlens.engine.api." + name);
            for (Method m : c.getMethods()) {
                if (!Modifier.isPublic(m.getModifiers())) {
                    continue;
                }
                checked++;
                String sig = m.toGenericString();
                if (sig.contains("org.nd4j")) {
                    offenders.add(sig);
                }
            }
        }
        assertTrue(checked > 50, "checked " + checked + " methods");
        assertEquals(List.of(), offenders);
    }
}

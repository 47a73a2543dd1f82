package org.layerlens.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs (the command line's and the window's exports) are written whole or not at all. */
class AtomicFilesTest {
    @Test
    void aWriteThatFailsHalfWayKeepsTheOldFileAndLeavesNothingBeside(@TempDir Path dir) throws IOException {
        Path target = Files.writeString(dir.resolve("keep.npy"), "the user's own file");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, tmp -> {
            Files.writeString(tmp, "half a file");
            throw new IOException("No space left on device");
        }));
        assertEquals(target + ": No space left on device", e.getMessage(), "the target is named");
        assertEquals("the user's own file", Files.readString(target));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList());
        }
        AtomicFiles.write(target, tmp -> {
            assertEquals(".npy", tmp.getFileName().toString().substring(tmp.getFileName().toString().length() - 4),
                    "the temporary file has the target's extension (OpenCV picks the format by it)");
            Files.writeString(tmp, "new");
        });
        assertEquals("new", Files.readString(target));
    }
}

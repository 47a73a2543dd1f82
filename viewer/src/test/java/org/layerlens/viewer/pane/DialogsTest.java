package org.layerlens.viewer.pane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a save dialog's answer becomes (the dialogs themselves need a display the tests do not have). */
class DialogsTest {
    @Test
    void aNameWithoutExtensionGetsTheExportsOneUnlessThatFileExists(@TempDir Path dir) throws IOException {
        assertEquals(dir.resolve("noext.npy"), Dialogs.withExtension(dir.resolve("noext"), "npy"));
        assertEquals(dir.resolve("map.png"), Dialogs.withExtension(dir.resolve("map.png"), "npy"), "another extension is kept");
        assertEquals(dir.resolve("a.b.npy"), Dialogs.withExtension(dir.resolve("a.b.npy"), "npy"));
        Files.writeString(dir.resolve("taken.npy"), "the user's");
        assertEquals(dir.resolve("taken"), Dialogs.withExtension(dir.resolve("taken"), "npy"),
                "not over a file the dialog did not ask about");
    }
}

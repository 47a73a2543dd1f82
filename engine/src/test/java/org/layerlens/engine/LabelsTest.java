package org.layerlens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Labels files as editors write them, and the one line a file-system problem becomes. */
class LabelsTest {
    @Test
    void aByteOrderMarkLatin1TextAndBlankLinesAreReadAsTheNamesTheyHold(@TempDir Path dir) throws IOException {
        Path bom = Files.write(dir.resolve("bom.txt"),
                "\uFEFFBACKGROUND\r\ncircle\r\n\r\nsquare\r\n".getBytes(StandardCharsets.UTF_8));
        List<String> notes = new ArrayList<>();
        assertEquals(List.of("BACKGROUND", "circle", "square"), Labels.read(bom, notes));
        assertEquals(List.of(), notes, "BACKGROUND behind a byte-order mark is the background line");

        Path latin1 = Files.write(dir.resolve("latin1.txt"), "café\ncrème\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(List.of("BACKGROUND", "café", "crème"), Labels.read(latin1, notes));
        assertEquals(1, notes.size(), "a note says BACKGROUND was put first");

        assertTrue(notes.get(0).startsWith("warning: " + latin1 + " has no BACKGROUND line"), notes.get(0));

        Path blank = Files.writeString(dir.resolve("blank.txt"), "\n \n");
        assertEquals(blank + ": the labels file is empty",
                assertThrows(IOException.class, () -> Labels.read(blank, notes)).getMessage());
    }

    /** What is given as labels by mistake: one line naming it (a folder said only "Is a directory"). */
    @Test
    void aFolderAnImageOrNothingIsNotALabelsFile(@TempDir Path dir) throws IOException {
        List<String> notes = new ArrayList<>();
        assertEquals(dir + ": a folder, not a labels file (one class name a line)",
                assertThrows(IOException.class, () -> Labels.read(dir, notes)).getMessage());
        Path image = Files.copy(TestData.sampleImage("messi5.jpg"), dir.resolve("messi5.jpg"));
        assertEquals(image + ": binary data, not a labels file (one class name a line)",
                assertThrows(IOException.class, () -> Labels.read(image, notes)).getMessage());
        assertEquals(dir.resolve("none.txt") + ": no such file",
                assertThrows(IOException.class, () -> Labels.read(dir.resolve("none.txt"), notes)).getMessage());
        assertEquals(List.of(), notes);
        Path huge = dir.resolve("huge.txt");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(Labels.MAX_BYTES + 1); // sparse: nothing written
        }
        assertEquals(huge + ": " + (Labels.MAX_BYTES + 1) + " bytes, not a labels file (one class name a line)",
                assertThrows(IOException.class, () -> Labels.read(huge, notes)).getMessage());
    }

    /** Notepad's "Unicode" and Windows PowerShell's {@code >} write UTF-16 with a byte-order mark: read as such. */
    @Test
    void utf16WithAByteOrderMarkIsRead(@TempDir Path dir) throws IOException {
        List<String> notes = new ArrayList<>();
        for (var cs : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
            byte[] bom = cs == StandardCharsets.UTF_16LE ? new byte[] {(byte) 0xff, (byte) 0xfe}
                    : new byte[] {(byte) 0xfe, (byte) 0xff};
            byte[] text = "BACKGROUND\r\ncircle\r\ncafé\r\n".getBytes(cs);
            byte[] all = java.util.Arrays.copyOf(bom, bom.length + text.length);
            System.arraycopy(text, 0, all, bom.length, text.length);
            Path f = Files.write(dir.resolve(cs.name() + ".txt"), all);
            assertEquals(List.of("BACKGROUND", "circle", "café"), Labels.read(f, notes), cs.name());
        }
        assertEquals(List.of(), notes);
    }

    @Test
    void fileSystemProblemsNameThePathAndTheProblem(@TempDir Path dir) throws IOException {
        Path missingFolder = dir.resolve("nodir").resolve("out.json");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Files.writeString(missingFolder, "x"));
        assertEquals(missingFolder + ": no such folder " + dir.resolve("nodir"), Problems.message(e));
        NoSuchFileException f = assertThrows(NoSuchFileException.class, () -> Files.readString(dir.resolve("a.txt")));
        assertEquals(dir.resolve("a.txt") + ": no such file", Problems.message(f));
        Files.writeString(dir.resolve("a.txt"), "x");
        assertTrue(Problems.message(assertThrows(IOException.class,
                () -> Files.createDirectory(dir.resolve("a.txt")))).endsWith("a.txt: already exists"));
        assertEquals("plain", Problems.message(new IOException("plain")));
    }
}

package org.layerlens.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a folder job reads from a folder, and the one line it gets when there is nothing. */
class ImageFolderTest {
    @Test
    void stemAndExtensionSplitAtTheLastDot() {
        assertEquals("scene-001", ImageFolder.stem(Path.of("ds", "scene-001.png")));
        assertEquals("png", ImageFolder.extension(Path.of("ds", "scene-001.png")));
        assertEquals("photo.v2", ImageFolder.stem(Path.of("photo.v2.JPG")));
        assertEquals("jpg", ImageFolder.extension(Path.of("photo.v2.JPG")));
        assertEquals("README", ImageFolder.stem(Path.of("README")));
        assertEquals("", ImageFolder.extension(Path.of("README")));
    }

    @Test
    void theFoldersOwnFilesSortedWithoutHiddenFilesAnnotationsOrSubfolders(@TempDir Path dir) throws IOException {
        for (String f : new String[] {"b.png", "a.JPG", ".hidden.png", "a.xml", "notes.txt"}) {
            Files.writeString(dir.resolve(f), "x");
        }
        Files.createDirectories(dir.resolve("JPEGImages"));
        Files.writeString(dir.resolve("JPEGImages").resolve("c.png"), "x");
        ImageFolder all = ImageFolder.list(dir);
        assertEquals(List.of(dir.resolve("a.JPG"), dir.resolve("b.png"), dir.resolve("notes.txt")), all.files());
        assertEquals(List.of("JPEGImages"), all.subfolders());
        assertEquals(dir + ": 1 subfolder(s) not read (JPEGImages/); only the folder's own files are read",
                all.subfoldersNotRead());
        ImageFolder images = all.imagesByName();
        assertEquals(List.of(dir.resolve("a.JPG"), dir.resolve("b.png")), images.nonEmpty("images"));
        assertEquals(1, images.otherFiles());
    }

    /** Links that lead to no file are listed, and reading one is one line that says so (they were dropped unsaid). */
    @Test
    void linksThatLeadNowhereAreListedAndToldAsSuch(@TempDir Path dir) throws IOException {
        Path good = Files.copy(org.layerlens.engine.TestData.sampleImage("coffee.png"), dir.resolve("a.png"));
        Path link = Files.createSymbolicLink(dir.resolve("b.png"), good);
        Path dangling = Files.createSymbolicLink(dir.resolve("c.png"), dir.resolve("nowhere.png"));
        Path loop1 = dir.resolve("d.jpg");
        Path loop2 = dir.resolve("e.jpg");
        Files.createSymbolicLink(loop1, loop2);
        Files.createSymbolicLink(loop2, loop1);
        assertEquals(List.of(good, link, dangling, loop1, loop2), ImageFolder.list(dir).imagesByName().files());
        assertEquals(Images.read(good).width(), Images.read(link).width(), "a link to an image is that image");
        for (Path p : List.of(dangling, loop1)) {
            assertEquals(p + ": a link that leads to no file (dangling, or a loop)",
                    assertThrows(IOException.class, () -> Images.read(p)).getMessage());
        }
        if (Files.exists(Path.of("/dev/null"))) {
            Path device = Files.createSymbolicLink(dir.resolve("f.png"), Path.of("/dev/null"));
            assertEquals(device + ": not a regular file (a device or a pipe), not an image",
                    assertThrows(IOException.class, () -> Images.read(device)).getMessage());
        }
    }

    @Test
    void nothingToReadIsOneLineThatSaysWhereTheImagesMayBe(@TempDir Path dir) throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals(empty + ": no files to read (an empty folder)",
                assertThrows(IOException.class, () -> ImageFolder.list(empty).nonEmpty("files to read")).getMessage());
        assertNull(ImageFolder.list(empty).subfoldersNotRead());

        Path root = Files.createDirectories(dir.resolve("voc"));
        for (String sub : new String[] {"JPEGImages", "Annotations", "ImageSets", "SegmentationClass"}) {
            Files.createDirectories(root.resolve(sub));
        }
        assertEquals(root + ": no images in the folder itself; subfolders are not read (Annotations/, ImageSets/, "
                + "JPEGImages/, ... 1 more): give the folder that holds the images",
                assertThrows(IOException.class, () -> ImageFolder.list(root).imagesByName().nonEmpty("images"))
                        .getMessage());

        Path text = Files.createDirectories(dir.resolve("text"));
        Files.writeString(text.resolve("readme.txt"), "x");
        assertEquals(text + ": no images among its 1 file(s)",
                assertThrows(IOException.class, () -> ImageFolder.list(text).imagesByName().nonEmpty("images"))
                        .getMessage());

        Path file = Files.writeString(dir.resolve("a.png"), "x");
        assertEquals(file + ": not a folder", assertThrows(IOException.class, () -> ImageFolder.list(file)).getMessage());
    }
}

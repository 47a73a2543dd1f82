package org.layerlens.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.TestData;
import org.layerlens.engine.TestImages;

/** A video given where an image is read is named as a video, with where videos are opened. */
class VideoGivenAsImageTest {
    @Test
    void aVideoIsToldApartFromAFileThatIsNoImage(@TempDir Path dir) throws Exception {
        Path clip = TestImages.video(dir.resolve("clip.avi"), TestData.sampleImage("coffee.png"), 3, 10);
        IOException video = assertThrows(IOException.class, () -> Images.read(clip));
        assertEquals(clip + ": a video; commands read images (the window plays videos: layerlens --video clip.avi)",
                video.getMessage());

        Path text = Files.writeString(dir.resolve("notes.png"), "not an image");
        IOException other = assertThrows(IOException.class, () -> Images.read(text));
        assertEquals(text + ": not an image OpenCV can read (jpg, png, bmp, tiff, webp, ...)", other.getMessage());
    }
}

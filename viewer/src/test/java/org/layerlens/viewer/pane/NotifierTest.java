package org.layerlens.viewer.pane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Notifications are broken into lines that fit beside the window's edge. */
class NotifierTest {
    @Test
    void longLinesBreakAtSpacesAndKeepTheirWords() {
        String warning = "/tmp/walk-ds/d.png: not an image OpenCV can read (jpg, png, bmp, tiff, webp, ...)";
        String w = Notifier.wrapped(warning, 40);
        assertEquals("/tmp/walk-ds/d.png: not an image OpenCV\ncan read (jpg, png, bmp, tiff, webp,\n...)", w);
        assertEquals(warning, w.replace('\n', ' '), "only spaces became line breaks");
        for (String line : w.split("\n")) {
            assertTrue(line.length() <= 40, line);
        }
        assertEquals("short\nlines stay", Notifier.wrapped("short\nlines stay", 40), "its own line breaks are kept");
        String path = "/a/very/long/folder/name/that/has/no/space/in/it/at/all.png";
        assertEquals("x\n/a/very/long/folder/\nname/that/has/no/\nspace/in/it/at/\nall.png y", Notifier.wrapped("x " + path + " y", 20),
                "a word longer than a line breaks after a slash");
        assertEquals("abcdefghij\nklmnopqrst\nuv", Notifier.wrapped("abcdefghijklmnopqrstuv", 10), "and without one at the column");
    }
}

package org.layerlens.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.api.Box;
import org.layerlens.engine.api.Detection;

class VocEvalTest {
    private static VocAnnotation.Box gt(String c, float x1, float y1, float x2, float y2) {
        return new VocAnnotation.Box(c, x1, y1, x2, y2, false);
    }

    private static Detection det(String c, float s, float x1, float y1, float x2, float y2) {
        return new Detection(c.equals("a") ? 1 : 2, c, s, new Box(x1, y1, x2, y2), null);
    }

    @Test
    void perfectDetectionsGiveApOne() {
        VocEval e = new VocEval(List.of("a", "b"));
        e.add(List.of(gt("a", 0, 0, 10, 10), gt("b", 20, 20, 40, 40)),
                List.of(det("a", 0.9f, 0, 0, 10, 10), det("b", 0.8f, 21, 21, 40, 40)));
        VocEval.Result r = e.result();
        assertEquals(1.0, r.ap()[0], 1e-12);
        assertEquals(1.0, r.ap()[1], 1e-12);
        assertEquals(1.0, r.mean(), 1e-12);
    }

    @Test
    void falsePositiveRankedBetweenTruePositivesUsesTheEnvelope() {
        VocEval e = new VocEval(List.of("a"));
        e.add(List.of(gt("a", 0, 0, 10, 10), gt("a", 50, 50, 60, 60)),
                List.of(det("a", 0.9f, 0, 0, 10, 10), det("a", 0.8f, 100, 100, 110, 110),
                        det("a", 0.7f, 50, 50, 60, 60)));
        // precision 1, 1/2, 2/3 at recall 1/2, 1/2, 1 -> 0.5 * 1 + 0.5 * 2/3
        assertEquals(0.5 + 0.5 * 2.0 / 3.0, e.result().ap()[0], 1e-12);
    }

    @Test
    void duplicatesAreFalsePositivesAndDifficultObjectsAreIgnored() {
        VocEval e = new VocEval(List.of("a"));
        e.add(List.of(gt("a", 0, 0, 10, 10), new VocAnnotation.Box("a", 50, 50, 60, 60, true)),
                List.of(det("a", 0.9f, 0, 0, 10, 10), det("a", 0.85f, 50, 50, 60, 60),
                        det("a", 0.8f, 0, 0, 10, 10)));
        // the difficult match is skipped; the duplicate after recall 1 does not lower AP
        assertEquals(1.0, e.result().ap()[0], 1e-12);
        VocEval miss = new VocEval(List.of("a"));
        miss.add(List.of(gt("a", 0, 0, 10, 10), gt("a", 50, 50, 60, 60)), List.of(det("a", 0.9f, 0, 0, 10, 10)));
        assertEquals(0.5, miss.result().ap()[0], 1e-12);
    }

    @Test
    void readsVocXmlAsZeroBasedBoxes(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("a.xml");
        Files.writeString(f, "<annotation><object><name>circle</name><difficult>1</difficult>"
                + "<bndbox><xmin>11</xmin><ymin>21</ymin><xmax>31</xmax><ymax>41</ymax></bndbox></object></annotation>");
        VocAnnotation.Box b = VocAnnotation.read(f).objects().get(0);
        assertEquals(new VocAnnotation.Box("circle", 10, 20, 30, 40, true), b);
        Path evil = dir.resolve("evil.xml");
        Files.writeString(evil, "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<annotation>&x;</annotation>");
        IOException ex = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> VocAnnotation.read(evil));
        assertTrue(ex.getMessage().startsWith(evil + ": not a readable VOC annotation"), ex.getMessage());
    }
}

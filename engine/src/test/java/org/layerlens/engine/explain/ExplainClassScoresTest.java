package org.layerlens.engine.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.layerlens.engine.api.ClassScores;

/** The background (class 0, whatever its label) is shown apart from the object classes, never ranked as one. */
class ExplainClassScoresTest {
    @Test
    void mediaPipesPlaceholderIsTheBackgroundNotATopClass() {
        // objects-v2 at the walkthrough's Mug: the "???" column's sigmoid is above every object class's
        ClassScores s = ClassScores.of(List.of("???", "Bicycle", "Mug", "Coffee cup"),
                new float[] {0.593f, 0.026f, 0.573f, 0.515f});
        assertEquals(List.of("Bicycle", "Mug", "Coffee cup"), s.classes().stream().map(ClassScores.Entry::label)
                .toList());
        assertEquals(2, s.top().classId());
        assertEquals(0.593f, s.background());
        assertEquals("Bicycle 0.026, Mug 0.573, Coffee cup 0.515; background 0.593 (not a class that can be "
                + "detected)", s.text());
        assertEquals("Mug 0.573", s.topText());
    }

    @Test
    void pytorchSsdsBackgroundIsTreatedAlike() {
        ClassScores s = ClassScores.of(List.of("BACKGROUND", "circle", "square", "triangle"),
                new float[] {0.981f, 0.012f, 0.002f, 0.005f});
        assertEquals("circle 0.012, square 0.002, triangle 0.005; background 0.981 (not a class that can be "
                + "detected)", s.text());
        assertEquals("circle 0.012", s.topText());
        // labels shorter than the scores: classes by index; ties go to the lower index
        ClassScores bare = ClassScores.of(List.of(), new float[] {0.5f, 0.25f, 0.25f});
        assertEquals("1 0.250, 2 0.250; background 0.500 (not a class that can be detected)", bare.text());
        assertEquals(1, bare.top().classId());
    }
}

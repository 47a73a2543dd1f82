package org.layerlens.engine.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One anchor's class scores as explain shows them (CLI, its JSON and the window alike): the object
 * classes in the model's order, and the background apart. Class 0 is the background in every
 * architecture here (pytorch-ssd's {@code BACKGROUND}, the softmax share of "no object"; face-api's
 * 1 - s; TF Object Detection / MediaPipe's {@code ???} column, which their selection ignores); it
 * is not a class that can be detected, so it is never listed or ranked as one, whatever its
 * labels file calls it.
 *
 * @param classes    the object classes (1..), in the model's order
 * @param background class 0's score
 */
public record ClassScores(List<Entry> classes, float background) {
    /** The background's index in every model's scores. */
    public static final int BACKGROUND = 0;
    /** What a person is told about the background's score. */
    public static final String BACKGROUND_NOTE = "not a class that can be detected";

    /** An object class's score. */
    public record Entry(int classId, String label, float score) {
    }

    /** Splits a row of scores ({@code scores[k]} for class k) with the model's labels. */
    public static ClassScores of(List<String> labels, float[] scores) {
        List<Entry> out = new ArrayList<>();
        for (int k = BACKGROUND + 1; k < scores.length; k++) {
            out.add(new Entry(k, k < labels.size() ? labels.get(k) : Integer.toString(k), scores[k]));
        }
        return new ClassScores(List.copyOf(out), scores.length > 0 ? scores[BACKGROUND] : Float.NaN);
    }

    /** The best object class (the lowest index on a tie), or null where the model has none. */
    public Entry top() {
        Entry best = null;
        for (Entry e : classes) {
            if (best == null || e.score() > best.score()) {
                best = e;
            }
        }
        return best;
    }

    /** "background 0.593". */
    public String backgroundText() {
        return String.format(Locale.ROOT, "background %.3f", background);
    }

    /** "Bicycle 0.026, ..., Mug 0.573; background 0.593 (not a class that can be detected)". */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : classes) {
            sb.append(sb.length() == 0 ? "" : ", ").append(e.label())
                    .append(String.format(Locale.ROOT, " %.3f", e.score()));
        }
        return sb + (sb.length() == 0 ? "" : "; ") + backgroundText() + " (" + BACKGROUND_NOTE + ")";
    }

    /** The best object class, "Mug 0.573" (the window's "Top class"; the background is not one), or "". */
    public String topText() {
        Entry t = top();
        return t == null ? "" : String.format(Locale.ROOT, "%s %.3f", t.label(), t.score());
    }
}

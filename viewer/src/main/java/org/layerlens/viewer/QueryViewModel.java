package org.layerlens.viewer;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.layerlens.engine.api.Box;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.PriorQuery;
import org.layerlens.viewer.jobs.JobLane;

/**
 * "Why was this object missed?" for a box the user drags (or types) on the picture: the five
 * priors that match it best, whether any reaches the model's match threshold, and the verdict
 * ({@link org.layerlens.engine.api.DetectorOutput#query}). The box is kept while the same image
 * is shown (a new video frame or threshold asks again) and dropped with another image.
 */
public final class QueryViewModel {
    /** How many priors the answer lists. */
    public static final int BEST = 5;

    /** An answer and the pass it belongs to. */
    public record Answer(PriorQuery query, Inspection source) {
    }

    private final InspectorViewModel vm;
    private final JobLane lane;
    private final ReadOnlyObjectWrapper<Box> box = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Answer> answer = new ReadOnlyObjectWrapper<>();

    QueryViewModel(InspectorViewModel vm, InspectorViewModel.Services services) {
        this.vm = vm;
        this.lane = new JobLane("query", services.worker(), services.ui());
        vm.resultProperty().addListener((o, a, r) -> {
            boolean sameImage = a != null && r != null && a.image() != null && r.image() != null
                    && java.util.Objects.equals(a.image().source(), r.image().source())
                    && a.image().originalWidth() == r.image().originalWidth()
                    && a.image().originalHeight() == r.image().originalHeight();
            if (sameImage && box.get() != null) {
                submit(box.get());
            } else {
                clear();
            }
        });
    }

    /** The box asked about, in the original image's pixels (null for none). */
    public ReadOnlyObjectProperty<Box> boxProperty() {
        return box.getReadOnlyProperty();
    }

    /** The answer for {@link #boxProperty()} (null while none, or while the first is computed). */
    public ReadOnlyObjectProperty<Answer> answerProperty() {
        return answer.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return lane.runningProperty();
    }

    /**
     * Asks about a box (image pixels), clipped to the image; false (and nothing asked) when there
     * is no pass yet or nothing of the box lies inside the image.
     */
    public boolean ask(Box b) {
        RunResult r = vm.resultProperty().get();
        if (r == null || r.inspection() == null || b == null) {
            return false;
        }
        Box c = b.clip(r.image().originalWidth(), r.image().originalHeight());
        if (c.width() <= 0 || c.height() <= 0) {
            return false;
        }
        box.set(c);
        submit(c);
        return true;
    }

    private void submit(Box b) {
        Inspection ins = vm.resultProperty().get().inspection();
        lane.submit(job -> new Answer(ins.output().query(b, BEST), ins), a -> {
            if (b.equals(box.get())) {
                answer.set(a);
            }
        }, a -> { }, () -> { }, t -> vm.fail("Asking about " + b, t));
    }

    /** Forgets the box and its answer. */
    public void clear() {
        lane.cancel();
        box.set(null);
        answer.set(null);
    }

    void close() {
        lane.close();
        box.set(null);
        answer.set(null);
    }
}

package org.layerlens.viewer.pane;

import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.SplitPane;
import javafx.scene.input.MouseEvent;

/**
 * Keeps a split pane's dividers where the user put them across window resizes. JavaFX moves the
 * dividers when the window gets too small for the panes' minimum sizes and leaves them there
 * when it grows again: after making the window small once, the tree stayed too narrow for its
 * columns and the detections table a single row. Here the positions the user chose (the initial
 * ones, then each divider dragged with the mouse) are remembered, and every resize asks for them
 * again; where a resize squeezes the dividers, that is not remembered.
 */
public final class DividerMemory {
    private final SplitPane split;
    private final double[] wanted;
    /** The divider a mouse press landed on (its release ends the user's drag of it); -1 when none. */
    private int dragged = -1;

    private DividerMemory(SplitPane split) {
        this.split = split;
        this.wanted = split.getDividerPositions().clone();
    }

    /** Attaches to {@code split}, whose divider positions are set already (they are the first remembered). */
    public static DividerMemory attach(SplitPane split) {
        DividerMemory m = new DividerMemory(split);
        split.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> m.dragged = dividerUnder(e, split));
        split.addEventFilter(MouseEvent.MOUSE_RELEASED, e -> {
            if (m.dragged >= 0) {
                // that divider only: another may be squeezed by a small window just now
                m.wanted[m.dragged] = split.getDividerPositions()[m.dragged];
                m.dragged = -1;
            }
        });
        // after the layout of the new size, which places the dividers by pixels of the old one
        ChangeListener<Number> resized = (o, a, b) -> Platform.runLater(() -> split.setDividerPositions(m.wanted));
        if (split.getOrientation() == Orientation.HORIZONTAL) {
            split.widthProperty().addListener(resized);
        } else {
            split.heightProperty().addListener(resized);
        }
        return m;
    }

    /** The positions asked for at every resize. */
    public double[] wanted() {
        return wanted.clone();
    }

    /**
     * Which of this split's own dividers (not those of a split inside it) the press is on, counted
     * from the left or top; -1 when none. The skin makes each divider a child of the split, in order.
     */
    private static int dividerUnder(MouseEvent e, SplitPane split) {
        Node n = e.getPickResult().getIntersectedNode();
        while (n != null && n.getParent() != split) {
            n = n.getParent();
        }
        if (n == null || !n.getStyleClass().contains("split-pane-divider")) {
            return -1;
        }
        int index = 0;
        for (Node c : split.getChildrenUnmodifiable()) {
            if (c == n) {
                return index;
            }
            if (c.getStyleClass().contains("split-pane-divider")) {
                index++;
            }
        }
        return -1;
    }
}

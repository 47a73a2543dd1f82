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
    /** Pixels kept for the last pane where the split is wide enough (0: none). */
    private double lastPanePx;

    private DividerMemory(SplitPane split) {
        this.split = split;
        this.wanted = split.getDividerPositions().clone();
    }

    /** Attaches to {@code split}, whose divider positions are set already (they are the first remembered). */
    public static DividerMemory attach(SplitPane split) {
        return attach(split, 0);
    }

    /**
     * The same, keeping at least {@code lastPanePx} pixels for the last pane where the split is
     * wide enough for it: where the remembered positions leave it less, the last divider moves
     * left, and those before it as far as the panes between keep their minimum sizes (the first
     * pane gives up the room). The side tabs of an 800 px window got ~110 px
     * by the proportions alone, and Explain's values wrapped a few letters a line.
     */
    public static DividerMemory attach(SplitPane split, double lastPanePx) {
        DividerMemory m = new DividerMemory(split);
        m.lastPanePx = lastPanePx;
        split.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> m.dragged = dividerUnder(e, split));
        split.addEventFilter(MouseEvent.MOUSE_RELEASED, e -> {
            if (m.dragged >= 0) {
                // that divider only: another may be squeezed by a small window just now
                m.wanted[m.dragged] = split.getDividerPositions()[m.dragged];
                if (m.dragged == m.wanted.length - 1) {
                    m.lastPanePx = 0; // the user sized the last pane: no floor undoes it at the next resize
                }
                m.dragged = -1;
            }
        });
        // after the layout of the new size, which places the dividers by pixels of the old one
        ChangeListener<Number> resized = (o, a, b) -> Platform.runLater(() -> split.setDividerPositions(m.fitted()));
        if (split.getOrientation() == Orientation.HORIZONTAL) {
            split.widthProperty().addListener(resized);
        } else {
            split.heightProperty().addListener(resized);
        }
        return m;
    }

    /** The remembered positions, moved left where they leave the last pane less than its pixels. */
    double[] fitted() {
        double[] p = wanted.clone();
        double size = split.getOrientation() == Orientation.HORIZONTAL ? split.getWidth() : split.getHeight();
        if (lastPanePx <= 0 || p.length == 0 || size < 2 * lastPanePx) {
            return p;
        }
        double cap = 1 - lastPanePx / size;
        if (p[p.length - 1] <= cap) {
            return p;
        }
        p[p.length - 1] = cap;
        // the dividers before it: each at most where the pane after it keeps its own minimum
        for (int i = p.length - 2; i >= 0; i--) {
            Node after = split.getItems().get(i + 1);
            double min = split.getOrientation() == Orientation.HORIZONTAL ? after.minWidth(-1) : after.minHeight(-1);
            p[i] = Math.max(0.05 * (i + 1), Math.min(p[i], p[i + 1] - min / size));
        }
        return p;
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

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
    /** A mouse press landed on a divider: its release ends a drag by the user. */
    private boolean dragging;

    private DividerMemory(SplitPane split) {
        this.split = split;
        this.wanted = split.getDividerPositions().clone();
    }

    /** Attaches to {@code split}, whose divider positions are set already (they are the first remembered). */
    public static DividerMemory attach(SplitPane split) {
        DividerMemory m = new DividerMemory(split);
        split.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> m.dragging = onDivider(e, split));
        split.addEventFilter(MouseEvent.MOUSE_RELEASED, e -> {
            if (m.dragging) {
                m.dragging = false;
                m.remember();
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

    /** The dividers' positions now are the user's choice (after a drag, or set by a view's own command). */
    public void remember() {
        double[] now = split.getDividerPositions();
        System.arraycopy(now, 0, wanted, 0, Math.min(now.length, wanted.length));
    }

    /** Whether the press is on one of this split's own dividers (not one of a split inside it). */
    private static boolean onDivider(MouseEvent e, SplitPane split) {
        for (Node n = e.getPickResult().getIntersectedNode(); n != null && n != split; n = n.getParent()) {
            if (n.getStyleClass().contains("split-pane-divider")) {
                return n.getParent() == split || n.getParent() != null && n.getParent().getParent() == split;
            }
        }
        return false;
    }
}

package org.layerlens.viewer;

import javafx.geometry.Rectangle2D;

/**
 * One cell of one SSD head's grid: the head (source index, 0-based), its map size and the cell.
 * A cell covers {@code 1/cols} of the network input's width and {@code 1/rows} of its height,
 * which is how it is marked on maps of other sizes.
 */
public record HeadCell(int head, int rows, int cols, int row, int col) {
    /** The cell as fractions ({@code 0..1}) of a map's width and height. */
    public Rectangle2D fraction() {
        return new Rectangle2D(col / (double) cols, row / (double) rows, 1.0 / cols, 1.0 / rows);
    }
}

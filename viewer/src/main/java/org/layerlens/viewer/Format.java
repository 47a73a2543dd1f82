package org.layerlens.viewer;

import java.util.Locale;

import org.layerlens.engine.api.ModuleInfo;

/** Numbers as the window writes them. */
public final class Format {
    private Format() {
    }

    /**
     * A module path in lines no wider than {@code width} in {@code font}, broken after its
     * separators ('/', '.', '_'; a part longer than a line stays whole): a wrapping label breaks
     * only at spaces, and a path has none, so it broke anywhere ("expanded_conv_13/exp" / "and").
     */
    public static String wrapPath(String path, double width, javafx.scene.text.Font font) {
        if (!(width > 0)) {
            return path;
        }
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder();
        for (String part : path.split("(?<=[/._])")) {
            if (line.length() > 0 && textWidth(line + part, font) > width) {
                out.append(line).append('\n');
                line.setLength(0);
            }
            line.append(part);
        }
        return out.append(line).toString();
    }

    private static double textWidth(String s, javafx.scene.text.Font font) {
        javafx.scene.text.Text t = new javafx.scene.text.Text(s);
        t.setFont(font);
        return t.getLayoutBounds().getWidth();
    }

    /** Multiply-adds as torchinfo's summaries write them: 1.23M, 34.5K, 2.10G. */
    public static String macs(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2fG", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.2fM", n / 1e6);
        }
        if (n >= 1_000L) {
            return String.format(Locale.ROOT, "%.1fK", n / 1e3);
        }
        return Long.toString(n);
    }

    /** A receptive field in input pixels: "27", "27x35" when not square, "all" after a global pooling. */
    public static String field(ModuleInfo i) {
        if (i.globalField()) {
            return "all";
        }
        if (i.fieldRows() <= 0) {
            return "";
        }
        return i.fieldRows() == i.fieldCols() ? Long.toString(i.fieldRows()) : i.fieldRows() + "x" + i.fieldCols();
    }

    public static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}

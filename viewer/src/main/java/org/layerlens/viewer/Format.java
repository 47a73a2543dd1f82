package org.layerlens.viewer;

import java.util.Locale;

import org.layerlens.engine.api.ModuleInfo;

/** Numbers as the window writes them. */
public final class Format {
    private Format() {
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

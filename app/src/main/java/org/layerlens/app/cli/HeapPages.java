package org.layerlens.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * How much of the Java heap is resident, from /proc/self/smaps (Linux; NaN elsewhere or when it
 * cannot be told): the heap is the one run of adjacent anonymous mappings as large as the heap's
 * maximum (reserved once at start, committed in parts). The collector keeps its committed size
 * but touches pages of it for the first time over thousands of passes (G1 moving its young
 * regions about); that is resident growth which no object holds, and {@code bench} tells it
 * apart from growth elsewhere (measured: the heap's resident part 134 -> 158 MB from pass 500 to
 * 2,000 of a fast + inspect loop, committed flat at 188 MB, then flat to pass 3,000).
 */
final class HeapPages {
    private HeapPages() {
    }

    static double residentMb() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Paths.get("/proc/self/smaps"));
        } catch (IOException | UnsupportedOperationException e) {
            return Double.NaN;
        }
        long max = Runtime.getRuntime().maxMemory();
        // anonymous mappings in address order: {start, end, resident kB}
        List<long[]> anon = new ArrayList<>();
        long[] current = null;
        for (String line : lines) {
            int dash = line.indexOf('-');
            int space = line.indexOf(' ');
            if (dash > 0 && space > dash && line.substring(0, dash).matches("[0-9a-f]+")) {
                boolean anonymous = line.trim().split("\\s+").length < 6;
                current = anonymous ? new long[] {Long.parseUnsignedLong(line.substring(0, dash), 16),
                        Long.parseUnsignedLong(line.substring(dash + 1, space), 16), 0} : null;
                if (current != null) {
                    anon.add(current);
                }
            } else if (current != null && line.startsWith("Rss:")) {
                current[2] = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        // the heap: adjacent mappings from some start whose sizes add up to the maximum heap (other
        // reservations may sit right before or after it: class space, malloc's areas)
        for (int i = 0; i < anon.size(); i++) {
            long rss = 0;
            for (int j = i; j < anon.size() && (j == i || anon.get(j)[0] == anon.get(j - 1)[1]); j++) {
                rss += anon.get(j)[2];
                long size = anon.get(j)[1] - anon.get(i)[0];
                if (heapSized(size, max)) {
                    return rss / 1024.0;
                }
                if (size > max) {
                    break;
                }
            }
        }
        return Double.NaN;
    }

    /** Whether a run of mappings of {@code size} bytes is the heap's reservation: within 2% of the maximum heap. */
    private static boolean heapSized(long size, long max) {
        return Math.abs(size - max) <= max / 50;
    }
}

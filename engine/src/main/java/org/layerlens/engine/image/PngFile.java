package org.layerlens.engine.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * A PNG's chunks, checked (and its colour profile dropped) before OpenCV decodes the file, for
 * what libpng would otherwise say on the process's standard error, past anything LayerLens can
 * catch:
 * <ul>
 * <li>a file cut short, a chunk length over the format's 2^31 - 1, or a critical chunk (image
 * header, palette, image data, end) that fails its checksum: libpng printed "libpng error: Read
 * Error" or "IDAT: invalid distance too far back" and OpenCV then read nothing, which LayerLens
 * reported as "not an image OpenCV can read" (of a .png). Such a file is refused here with one
 * line saying where it is cut or damaged;</li>
 * <li>an embedded colour profile (iCCP chunk) is dropped: OpenCV does no colour management, so no
 * pixel changes, but libpng printed "iCCP: known incorrect sRGB profile" twice per read for a
 * profile many programs wrote (two bundled sample images, scikit-image's astronaut and chelsea,
 * did it on every command).</li>
 * </ul>
 * Damaged ancillary chunks other than iCCP are left to libpng, which skips them (warning on stderr).
 * The file is walked chunk by chunk through a small buffer; nothing of its size is held on the
 * Java heap (holding it there took four 45 MB PNGs read at once past a 256 MB heap).
 */
final class PngFile {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** A chunk's length and type before its data, its CRC after. */
    private static final int HEADER = 8;
    private static final int CRC = 4;
    /** The format's largest chunk length. */
    private static final long MAX_LENGTH = Integer.MAX_VALUE;
    private static final int BLOCK = 1 << 16;

    /** Where a chunk sits: its first byte and its whole size (header, data, CRC). */
    record Span(long at, long size) {
    }

    private PngFile() {
    }

    /**
     * The colour profiles of a PNG whose chunks all check (none for a file that is not a PNG: read
     * as it is); an IOException naming the file and where it is cut short or damaged.
     */
    static List<Span> check(Path file) throws IOException {
        List<Span> profiles = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer signature = read(ch, 0, SIGNATURE.length);
            if (signature == null || !Arrays.equals(signature.array(), SIGNATURE)) {
                return profiles;
            }
            long size = ch.size();
            long at = SIGNATURE.length;
            // one block for every checksum: a block per chunk (a PNG's image data comes in many
            // chunks of 8-64 KB) was 48 MB of garbage for a 6 MB PNG, +60 MB of peak resident size
            ByteBuffer block = ByteBuffer.allocate(BLOCK);
            while (true) {
                ByteBuffer header = read(ch, at, HEADER);
                if (header == null) {
                    throw new IOException(file + ": a PNG cut short: it ends at byte " + size
                            + " with no end chunk (IEND)");
                }
                long length = header.getInt(0) & 0xffffffffL;
                String type = new String(header.array(), 4, 4, StandardCharsets.US_ASCII);
                if (length > MAX_LENGTH) {
                    throw new IOException(file + ": a damaged PNG: the chunk at byte " + at + " declares " + length
                            + " bytes, more than the format allows");
                }
                long whole = HEADER + length + CRC;
                if (at + whole > size) {
                    throw new IOException(file + ": a PNG cut short: its " + type + " chunk at byte " + at + " needs "
                            + whole + " bytes; the file ends " + (size - at) + " bytes after it starts");
                }
                if (critical(header.get(4)) && crc(ch, at + 4, 4 + length, block) != (read(ch, at + HEADER + length, CRC)
                        .getInt(0) & 0xffffffffL)) {
                    throw new IOException(file + ": a damaged PNG: its " + type + " chunk at byte " + at
                            + " fails its checksum (CRC)");
                }
                if (type.equals("iCCP")) {
                    profiles.add(new Span(at, whole));
                }
                if (type.equals("IEND")) {
                    return profiles;
                }
                at += whole;
            }
        }
    }

    /**
     * The file without the chunks {@code left}, in native memory for {@code Imgcodecs.imdecode}
     * (the caller releases it).
     */
    static Mat without(Path file, List<Span> left) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long kept = size;
            for (Span s : left) {
                kept -= s.size();
            }
            if (kept > Integer.MAX_VALUE) {
                throw new IOException(file + ": a PNG of " + size + " bytes; LayerLens reads PNGs up to 2 GB");
            }
            Mat out = new Mat(1, (int) kept, CvType.CV_8U);
            byte[] block = new byte[BLOCK];
            int to = 0;
            long at = 0;
            int next = 0;
            while (at < size) {
                if (next < left.size() && at == left.get(next).at()) {
                    at += left.get(next++).size();
                    continue;
                }
                long end = next < left.size() ? left.get(next).at() : size;
                int n = (int) Math.min(BLOCK, end - at);
                if (!readFully(ch, ByteBuffer.wrap(block, 0, n), at)) {
                    out.release();
                    throw new IOException(file + ": shorter than when it was checked");
                }
                out.put(0, to, n == BLOCK ? block : Arrays.copyOf(block, n));
                to += n;
                at += n;
            }
            return out;
        }
    }

    /** A chunk type's first letter in upper case: a chunk the image needs (IHDR, PLTE, IDAT, IEND). */
    private static boolean critical(byte firstOfType) {
        return (firstOfType & 0x20) == 0;
    }

    /** The CRC-32 of {@code length} bytes from {@code at}, read in blocks through {@code b}. */
    private static long crc(FileChannel ch, long at, long length, ByteBuffer b) throws IOException {
        CRC32 c = new CRC32();
        long done = 0;
        while (done < length) {
            b.clear();
            b.limit((int) Math.min(BLOCK, length - done));
            int n = ch.read(b, at + done);
            if (n < 0) {
                throw new IOException("ends while being read");
            }
            b.flip();
            c.update(b);
            done += n;
        }
        return c.getValue();
    }

    /** {@code n} bytes at {@code position}, or null where the file ends before them. */
    private static ByteBuffer read(FileChannel ch, long position, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        return position + n <= ch.size() && readFully(ch, b, position) ? b : null;
    }

    /** Fills {@code b} from {@code position} on; false where the file ends first. */
    private static boolean readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long start = position - b.position();
        while (b.hasRemaining()) {
            if (ch.read(b, start + b.position()) < 0) {
                return false;
            }
        }
        return true;
    }
}

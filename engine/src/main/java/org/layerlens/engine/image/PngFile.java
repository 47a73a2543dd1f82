package org.layerlens.engine.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A PNG's chunk headers, read far enough to drop its embedded colour profile (the iCCP chunk)
 * before OpenCV decodes it. OpenCV does no colour management, so the profile changes no pixel it
 * returns; but libpng prints "iCCP: known incorrect sRGB profile" to the process's standard
 * error for a profile that many programs wrote, twice per read (header, then data), before
 * anything LayerLens says: two of the bundled sample images (scikit-image's astronaut and
 * chelsea) did it on every command, and a user takes it for an error.
 */
final class PngFile {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** A chunk's length, type and CRC around its data. */
    private static final int CHUNK_FRAME = 12;

    private PngFile() {
    }

    /**
     * The file's bytes without its iCCP chunk; null when it is not a PNG, has no iCCP chunk (which
     * the format puts before the first IDAT: only headers are read to tell), or is cut short
     * there (OpenCV reads it as it is and says what it says).
     */
    static byte[] withoutColourProfile(Path file) throws IOException {
        long at;
        long length;
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            if (ch.size() > Integer.MAX_VALUE - 64 || !Arrays.equals(read(ch, 0, SIGNATURE.length), SIGNATURE)) {
                return null;
            }
            at = SIGNATURE.length;
            while (true) {
                byte[] header = read(ch, at, 8);
                if (header == null) {
                    return null;
                }
                length = ByteBuffer.wrap(header, 0, 4).getInt() & 0xffffffffL;
                String type = new String(header, 4, 4, StandardCharsets.US_ASCII);
                if (type.equals("iCCP")) {
                    break;
                }
                if (type.equals("IDAT") || type.equals("IEND")) {
                    return null;
                }
                at += CHUNK_FRAME + length;
            }
            if (at + CHUNK_FRAME + length > ch.size()) {
                return null;
            }
        }
        byte[] all = Files.readAllBytes(file);
        int from = (int) at;
        int skip = (int) (CHUNK_FRAME + length);
        byte[] out = new byte[all.length - skip];
        System.arraycopy(all, 0, out, 0, from);
        System.arraycopy(all, from + skip, out, from, all.length - from - skip);
        return out;
    }

    /** {@code n} bytes at {@code position}, or null where the file ends before them. */
    private static byte[] read(SeekableByteChannel ch, long position, int n) throws IOException {
        if (position + n > ch.size()) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        ch.position(position);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                return null;
            }
        }
        return b.array();
    }
}

package org.layerlens.engine.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * A PNG's chunks, checked and prepared before OpenCV decodes the file, for what libpng would
 * otherwise say on the process's standard error, past anything LayerLens can catch:
 * <ul>
 * <li>a file cut short, or a critical chunk (image header, palette, image data, end) that fails
 * its checksum: libpng printed "libpng error: Read Error" or "IDAT: invalid distance too far
 * back" and OpenCV then read nothing, which LayerLens reported as "not an image OpenCV can read"
 * (of a .png). Such a file is refused here with one line saying where it is cut or damaged;</li>
 * <li>an embedded colour profile (the iCCP chunk) is dropped: OpenCV does no colour management,
 * so no pixel changes, but libpng printed "iCCP: known incorrect sRGB profile" twice per read for
 * a profile that many programs wrote (two bundled sample images, scikit-image's astronaut and
 * chelsea, did it on every command).</li>
 * </ul>
 * Ancillary chunks other than iCCP are left as they are: libpng skips a damaged one and decodes.
 */
final class PngFile {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** A chunk's length, type and CRC around its data. */
    private static final int CHUNK_FRAME = 12;
    /**
     * Larger files are left to OpenCV as they are: checking holds the file in a Java array and
     * decoding copies it to native memory, which for a PNG this size would add twice its size to
     * the peak (the installed app runs in a 256 MB heap). An 8001 x 6001 PNG of 6 MB: peak
     * resident 345 -> 368 MB, read in the same time.
     */
    private static final long LARGEST = 64L << 20;

    private PngFile() {
    }

    /**
     * The bytes for OpenCV to decode: the file's, without its iCCP chunk; null when it is not a
     * PNG (or over 64 MB), to be read as it is. An IOException naming the file and the place where
     * it is cut short or damaged.
     */
    static byte[] prepared(Path file) throws IOException {
        if (!isPng(file) || Files.size(file) > LARGEST) {
            return null;
        }
        byte[] all = Files.readAllBytes(file);
        int at = SIGNATURE.length;
        int profileAt = -1;
        int profileLength = 0;
        while (true) {
            if (at + 8 > all.length) {
                throw new IOException(file + ": a PNG cut short: it ends at byte " + all.length
                        + " with no end chunk (IEND)");
            }
            long length = ByteBuffer.wrap(all, at, 4).getInt() & 0xffffffffL;
            String type = new String(all, at + 4, 4, StandardCharsets.US_ASCII);
            if (at + CHUNK_FRAME + length > all.length) {
                throw new IOException(file + ": a PNG cut short: its " + type + " chunk at byte " + at + " needs "
                        + (CHUNK_FRAME + length) + " bytes; the file ends " + (all.length - at) + " bytes after it starts");
            }
            int n = (int) length;
            if (critical(all[at + 4]) && crc(all, at + 4, 4 + n) != (ByteBuffer.wrap(all, at + 8 + n, 4).getInt()
                    & 0xffffffffL)) {
                throw new IOException(file + ": a damaged PNG: its " + type + " chunk at byte " + at
                        + " fails its checksum (CRC)");
            }
            if (type.equals("iCCP") && profileAt < 0) {
                profileAt = at;
                profileLength = CHUNK_FRAME + n;
            }
            if (type.equals("IEND")) {
                break;
            }
            at += CHUNK_FRAME + n;
        }
        if (profileAt < 0) {
            return all;
        }
        byte[] out = new byte[all.length - profileLength];
        System.arraycopy(all, 0, out, 0, profileAt);
        System.arraycopy(all, profileAt + profileLength, out, profileAt, all.length - profileAt - profileLength);
        return out;
    }

    private static boolean isPng(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(SIGNATURE.length), SIGNATURE);
        }
    }

    /** A chunk type's first letter in upper case: a chunk the image needs (IHDR, PLTE, IDAT, IEND). */
    private static boolean critical(byte firstOfType) {
        return (firstOfType & 0x20) == 0;
    }

    private static long crc(byte[] data, int from, int length) {
        CRC32 c = new CRC32();
        c.update(data, from, length);
        return c.getValue();
    }
}

package org.layerlens.engine.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What LayerLens reads from a JPEG file itself, beside OpenCV: the frame's size (the SOFn
 * marker), the EXIF orientation (which OpenCV applies while decoding) and whether the file ends
 * with its end-of-image marker. A small parser that walks the marker segments and never reads
 * past the file; on anything it does not understand it answers null, and the caller keeps what
 * OpenCV says.
 */
final class JpegFile {
    /** At most this many marker segments before the frame header: a guard against looping on junk. */
    private static final int MAX_SEGMENTS = 4096;
    /** Bytes at the end of a file searched for the end marker first (cameras pad after it). */
    static final int TAIL = 4096;

    /**
     * The frame header's size, the EXIF orientation (1 to 8; 1 when there is none) and where the
     * first scan starts (the byte after its SOS segment).
     */
    record Header(int width, int height, int orientation, long scanStart) {
        /** Orientations 5 to 8 turn the picture a quarter: its upright width is the stored height. */
        boolean swapsAxes() {
            return orientation >= 5 && orientation <= 8;
        }

        int uprightWidth() {
            return swapsAxes() ? height : width;
        }

        int uprightHeight() {
            return swapsAxes() ? width : height;
        }
    }

    private JpegFile() {
    }

    /** The header of a JPEG file, or null when it is none or anything about it is in doubt. */
    static Header header(Path file) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            return header(f);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Header header(RandomAccessFile f) throws IOException {
        long size = f.length();
        if (size < 4 || f.readUnsignedByte() != 0xff || f.readUnsignedByte() != 0xd8) {
            return null;
        }
        int width = -1;
        int height = -1;
        int orientation = 1;
        boolean exifSeen = false;
        for (int seg = 0; seg < MAX_SEGMENTS; seg++) {
            if (f.getFilePointer() + 2 > size || f.readUnsignedByte() != 0xff) {
                return null;
            }
            int m = f.readUnsignedByte();
            while (m == 0xff) { // fill bytes before a marker
                if (f.getFilePointer() >= size) {
                    return null;
                }
                m = f.readUnsignedByte();
            }
            if (m == 0x01 || (m >= 0xd0 && m <= 0xd7)) {
                continue; // markers without a segment (TEM, RSTn)
            }
            if (m == 0xd8 || m == 0xd9 || m == 0x00) {
                return null; // a second SOI, EOI before any scan, a stuffed zero: not a header we know
            }
            if (f.getFilePointer() + 2 > size) {
                return null;
            }
            int len = f.readUnsignedShort();
            long start = f.getFilePointer();
            long end = start + len - 2;
            if (len < 2 || end > size) {
                return null;
            }
            if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc) {
                if (width >= 0 || len < 8) {
                    return null; // a second frame header (hierarchical JPEG), or one too short
                }
                f.readUnsignedByte(); // sample precision
                height = f.readUnsignedShort();
                width = f.readUnsignedShort();
                if (width == 0 || height == 0) {
                    return null; // height 0: given later by a DNL marker
                }
            } else if (m == 0xe1 && !exifSeen && len >= 2 + 6 + 8) {
                byte[] b = new byte[len - 2];
                f.readFully(b);
                if (b[0] == 'E' && b[1] == 'x' && b[2] == 'i' && b[3] == 'f' && b[4] == 0 && b[5] == 0) {
                    exifSeen = true;
                    int o = exifOrientation(b, 6);
                    if (o >= 1 && o <= 8) {
                        orientation = o;
                    }
                }
            } else if (m == 0xda) {
                return width < 0 ? null : new Header(width, height, orientation, end);
            }
            f.seek(end);
        }
        return null;
    }

    /** The orientation tag (0x0112) in IFD0 of the TIFF structure at {@code base}; 0 when absent or broken. */
    static int exifOrientation(byte[] b, int base) {
        if (base + 8 > b.length) {
            return 0;
        }
        boolean little;
        if (b[base] == 'I' && b[base + 1] == 'I') {
            little = true;
        } else if (b[base] == 'M' && b[base + 1] == 'M') {
            little = false;
        } else {
            return 0;
        }
        if (u16(b, base + 2, little) != 42) {
            return 0;
        }
        long ifd = u32(b, base + 4, little);
        if (ifd < 8 || base + ifd + 2 > b.length) {
            return 0;
        }
        int at = (int) (base + ifd);
        int n = u16(b, at, little);
        for (int i = 0; i < n; i++) {
            int e = at + 2 + 12 * i;
            if (e + 12 > b.length) {
                return 0;
            }
            if (u16(b, e, little) == 0x0112) {
                int type = u16(b, e + 2, little);
                return type == 3 ? u16(b, e + 8, little) : 0; // SHORT, its value in the entry
            }
        }
        return 0;
    }

    private static int u16(byte[] b, int i, boolean little) {
        int a = b[i] & 0xff;
        int c = b[i + 1] & 0xff;
        return little ? a | c << 8 : a << 8 | c;
    }

    private static long u32(byte[] b, int i, boolean little) {
        long v = 0;
        for (int k = 0; k < 4; k++) {
            v |= (long) (b[i + (little ? k : 3 - k)] & 0xff) << (8 * (little ? k : 3 - k));
        }
        return v;
    }

    /**
     * Whether the JPEG ends with its end-of-image marker (FF D9). It is looked for in the last
     * {@link #TAIL} bytes (cameras may pad after it), and then, so that a trailer appended after
     * the picture (another picture, a maker's block) is no false alarm, anywhere after the first
     * scan starts, where the entropy-coded data cannot hold it (a byte FF there is followed by 00
     * or a restart marker). True when in doubt (no header, a read error).
     */
    static boolean hasEnd(Path file, Header h) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long size = f.length();
            int n = (int) Math.min(size, TAIL);
            byte[] tail = new byte[n];
            f.seek(size - n);
            f.readFully(tail);
            for (int i = n - 2; i >= 0; i--) {
                if ((tail[i] & 0xff) == 0xff && (tail[i + 1] & 0xff) == 0xd9) {
                    return true;
                }
            }
            if (h == null || h.scanStart() >= size) {
                return h == null;
            }
        } catch (IOException | RuntimeException e) {
            return true;
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            in.skipNBytes(h.scanStart());
            boolean ff = false;
            for (int c; (c = in.read()) >= 0;) {
                if (ff && c == 0xd9) {
                    return true;
                }
                ff = c == 0xff;
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }
}

package org.layerlens.engine.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the video frames of an AVI file lie. The file's index ('idx1', after the frames) says it
 * where it is there and sound, as OpenCV's own Motion-JPEG reader reads it; where it is not (a
 * recording cut short by a crash or a full disk has none, and OpenCV refused the whole file,
 * printing "Failed to parse avi: index was not found" on stderr), the frame chunks of the 'movi'
 * list are walked one after the other up to the last one the file holds whole. A damaged chunk
 * header in that walk is stepped over by looking for the next frame chunk. OpenDML files (over
 * 1 GB) go on in 'AVIX' chunks, walked the same way.
 * <p>
 * Reads headers only (8 bytes a chunk, 16 an index entry), so a long video is indexed quickly.
 * Nothing here trusts a size field further than the file's length.
 */
record AviFile(List<Frame> frames, double fps, String codec, boolean cutShort, long bytesSkipped) {
    /** Frames kept at most (a damaged size field must not make us index forever): 10 hours at 30 fps. */
    static final int MAX_FRAMES = 10 * 3600 * 30;

    /** One frame's data: {@code length} bytes at {@code offset}; 0 bytes means "the frame before, again". */
    record Frame(long offset, int length) {
    }

    /** The index of an AVI file, or null when the file does not start as one ("RIFF", a size, "AVI "). */
    static AviFile read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Reader r = new Reader(ch);
            byte[] head = r.bytes(0, 12);
            if (head == null || !fourCc(head, 0).equals("RIFF") || !fourCc(head, 8).equals("AVI ")) {
                return null;
            }
            long at = 0;
            // the RIFF 'AVI ' chunk, then any 'AVIX' chunks (OpenDML)
            while (at + 12 <= r.size && r.frames.size() < MAX_FRAMES) {
                byte[] riff = r.bytes(at, 12);
                if (!fourCc(riff, 0).equals("RIFF")) {
                    break;
                }
                long end = at + 8 + u32(riff, 4);
                if (end > r.size) {
                    r.cutShort = true;
                }
                r.riff(at + 12, Math.min(end, r.size), at == 0);
                at = end + (end & 1);
            }
            double fps = r.rate > 0 && r.scale > 0 ? (double) r.rate / r.scale
                    : r.microsPerFrame > 0 ? 1e6 / r.microsPerFrame : 0;
            return new AviFile(List.copyOf(r.frames), fps, r.codec, r.cutShort, r.bytesSkipped);
        }
    }

    /** Reads frame {@code f}'s bytes. */
    static byte[] data(FileChannel ch, Frame f) throws IOException {
        byte[] b = readFully(ch, f.offset(), f.length());
        if (b == null) {
            throw new IOException("the file ends inside a frame");
        }
        return b;
    }

    /** {@code n} bytes at {@code offset}, or null when the file ends before them. */
    private static byte[] readFully(FileChannel ch, long offset, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b, offset + b.position()) < 0) {
                return null;
            }
        }
        return b.array();
    }

    /** Reads the chunks of one RIFF chunk after another, collecting the first video stream's frames. */
    private static final class Reader {
        final FileChannel ch;
        final long size;
        final List<Frame> frames = new ArrayList<>();
        /** The video stream's number as chunk ids spell it ("00" in "00dc"); null until its header is read. */
        String stream;
        int streamsSeen;
        long rate;
        long scale;
        long microsPerFrame;
        String codec = "";
        boolean cutShort;
        long bytesSkipped;

        Reader(FileChannel ch) throws IOException {
            this.ch = ch;
            this.size = ch.size();
        }

        /** The top-level chunks of a RIFF chunk, {@code [from, to)}: headers, the 'movi' list, the index. */
        void riff(long from, long to, boolean first) throws IOException {
            long moviFrom = -1;
            long moviTo = -1;
            long indexAt = -1;
            long indexLength = 0;
            long at = from;
            while (at + 8 <= to) {
                Chunk c = chunk(at);
                long end = Math.min(c.end(), size);
                if (c.end() > size) {
                    cutShort = true;
                }
                String type = c.id().equals("LIST") && c.length() >= 4 && c.data() + 4 <= size
                        ? fourCc(bytes(c.data(), 4), 0) : "";
                if (type.equals("hdrl")) {
                    headers(c.data() + 4, end);
                } else if (type.equals("movi")) {
                    moviFrom = c.data(); // where 'movi' is spelled: index offsets count from here
                    moviTo = end;
                } else if (c.id().equals("idx1") && first && c.end() <= size) {
                    // whole only: an index cut short lists only the first frames of a movi list
                    // that may hold them all (the walk below finds them)
                    indexAt = c.data();
                    indexLength = end - c.data();
                }
                if (c.end() > size) {
                    break;
                }
                at = c.next();
            }
            if (moviFrom < 0 || stream == null) {
                return;
            }
            if (indexAt < 0 || !fromIndex(indexAt, indexLength, moviFrom)) {
                walk(moviFrom + 4, moviTo);
            }
        }

        /** The stream headers: the first video stream's number, codec and rate; the main header's frame time. */
        private void headers(long from, long to) throws IOException {
            long at = from;
            while (at + 8 <= to) {
                Chunk c = chunk(at);
                if (c.end() > to) {
                    return;
                }
                if (c.id().equals("LIST") && c.length() >= 4 && fourCc(bytes(c.data(), 4), 0).equals("strl")) {
                    streamsSeen++;
                    headers(c.data() + 4, c.end());
                } else if (c.id().equals("avih") && c.length() >= 4) {
                    microsPerFrame = u32(bytes(c.data(), 4), 0);
                } else if (c.id().equals("strh") && c.length() >= 32 && stream == null) {
                    byte[] s = bytes(c.data(), 32);
                    if (fourCc(s, 0).equals("vids")) {
                        stream = String.format("%02d", streamsSeen - 1);
                        codec = fourCc(s, 4).trim();
                        scale = u32(s, 20);
                        rate = u32(s, 24);
                    }
                }
                at = c.next();
            }
        }

        /**
         * The frames the index lists, when every one it lists lies where it says (its offsets
         * count from the 'movi' list, or from the file's start: writers differ); false, and
         * nothing kept, when they do not.
         */
        private boolean fromIndex(long at, long length, long moviFrom) throws IOException {
            int entries = (int) Math.min(length / 16, MAX_FRAMES);
            if (entries == 0) {
                return false;
            }
            byte[] all = readFully(ch, at, entries * 16);
            if (all == null) {
                return false;
            }
            List<Frame> listed = new ArrayList<>();
            long base = -1;
            for (int i = 0; i < entries; i++) {
                byte[] e = Arrays.copyOfRange(all, 16 * i, 16 * i + 16);
                String id = fourCc(e, 0);
                if (!isVideoChunk(id)) {
                    continue;
                }
                long offset = u32(e, 8);
                long length1 = u32(e, 12);
                if (base < 0) {
                    base = spells(moviFrom + offset, id) ? moviFrom : spells(offset, id) ? 0 : -1;
                    if (base < 0) {
                        return false;
                    }
                }
                long data = base + offset + 8;
                if (data + length1 > size || length1 > Integer.MAX_VALUE) {
                    return false;
                }
                listed.add(length1 > 0 || listed.isEmpty() ? new Frame(data, (int) length1)
                        : listed.get(listed.size() - 1));
            }
            if (listed.isEmpty()) {
                return false;
            }
            frames.addAll(listed);
            return true;
        }

        /** Whether the chunk at {@code offset} has the id {@code id}. */
        private boolean spells(long offset, String id) throws IOException {
            byte[] b = offset >= 0 ? bytes(offset, 4) : null;
            return b != null && fourCc(b, 0).equals(id);
        }

        /**
         * The chunks of a 'movi' list, {@code [from, to)}, one after the other: frames of the
         * video stream kept, 'rec ' lists entered, anything else stepped over. A header that is no
         * chunk's (damage) is passed by looking for the next frame chunk.
         */
        private void walk(long from, long to) throws IOException {
            long at = from;
            while (at + 8 <= to && frames.size() < MAX_FRAMES) {
                Chunk c = chunk(at);
                if (!isChunkId(c.id()) || c.end() > to && c.end() <= size) {
                    long found = nextFrameChunk(at + 1, to);
                    bytesSkipped += (found < 0 ? to : found) - at;
                    if (found < 0) {
                        return;
                    }
                    at = found;
                    continue;
                }
                if (c.end() > size) {
                    // past the file's end: a damaged length if another frame chunk follows, else
                    // the file was cut in this chunk
                    long found = nextFrameChunk(at + 1, to);
                    if (found < 0) {
                        cutShort = true;
                        return;
                    }
                    bytesSkipped += found - at;
                    at = found;
                    continue;
                }
                if (c.id().equals("LIST") && c.length() >= 4) {
                    walk(c.data() + 4, c.end());
                } else if (isVideoChunk(c.id()) && c.length() <= Integer.MAX_VALUE) {
                    frames.add(c.length() > 0 || frames.isEmpty() ? new Frame(c.data(), (int) c.length())
                            : frames.get(frames.size() - 1));
                }
                at = c.next();
            }
        }

        /** The offset of the next chunk of the video stream whose data lies within {@code to}, or -1. */
        private long nextFrameChunk(long from, long to) throws IOException {
            byte[] dc = (stream + "dc").getBytes(StandardCharsets.ISO_8859_1);
            byte[] db = (stream + "db").getBytes(StandardCharsets.ISO_8859_1);
            ByteBuffer b = ByteBuffer.allocate(1 << 16);
            for (long at = from; at + 8 <= to; at += b.capacity() - 8) {
                b.clear();
                int n = ch.read(b, at);
                for (int i = 0; i + 8 <= n; i++) {
                    byte[] a = b.array();
                    boolean video = a[i] == dc[0] && a[i + 1] == dc[1] && a[i + 2] == dc[2]
                            && (a[i + 3] == dc[3] || a[i + 3] == db[3]);
                    if (video && at + i + 8 + u32(a, i + 4) <= to) {
                        return at + i;
                    }
                }
                if (n < b.capacity()) {
                    return -1;
                }
            }
            return -1;
        }

        private boolean isVideoChunk(String id) {
            return id.startsWith(stream) && (id.endsWith("dc") || id.endsWith("db"));
        }

        /** The header of the chunk at {@code at} (its 8 bytes are in the file: the callers' loops see to it). */
        Chunk chunk(long at) throws IOException {
            byte[] h = bytes(at, 8);
            return new Chunk(fourCc(h, 0), u32(h, 4), at + 8);
        }

        /** {@code n} bytes at {@code offset}, or null past the end of the file. */
        byte[] bytes(long offset, int n) throws IOException {
            return offset + n > size ? null : readFully(ch, offset, n);
        }
    }

    /** A chunk's header: its id, its data's length and where its data starts. */
    private record Chunk(String id, long length, long data) {
        /** Where its data ends. */
        long end() {
            return data + length;
        }

        /** Where the next chunk starts: chunks start at even offsets. */
        long next() {
            return end() + (end() & 1);
        }
    }

    /** Whether four bytes can be a chunk's id: letters, digits and spaces (damage is mostly not). */
    private static boolean isChunkId(String id) {
        for (int i = 0; i < 4; i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == ' ' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static String fourCc(byte[] b, int at) {
        return new String(b, at, 4, StandardCharsets.ISO_8859_1);
    }

    private static long u32(byte[] b, int at) {
        return ByteBuffer.wrap(b, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
    }
}

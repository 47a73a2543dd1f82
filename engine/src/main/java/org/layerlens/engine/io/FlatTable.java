package org.layerlens.engine.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.google.flatbuffers.Table;

/**
 * One table of a FlatBuffer read through the FlatBuffers Java runtime's {@link Table}, with every
 * position checked before the runtime (or we) read there: the table's vtable must lie in the
 * buffer and fit, a field must lie inside its table, an offset must point inside the buffer, a
 * vector's length times its element size must fit in what follows it. The runtime itself checks
 * nothing (a hostile offset would read anywhere or throw from deep inside); here a bad file gets
 * one {@link CheckpointException} naming the file and the table ({@code what}) that is broken.
 * Schemas are described by the caller in field slots (0, 1, 2, ... as declared in the .fbs).
 */
final class FlatTable extends Table {
    private final Path file;
    private final String what;
    private int inlineSize;

    private FlatTable(Path file, String what) {
        this.file = file;
        this.what = what;
    }

    /** The root table of {@code buf}, whose file identifier (bytes 4..8) must be {@code identifier}. */
    static FlatTable root(Path file, ByteBuffer buf, String identifier, String what) throws CheckpointException {
        ByteBuffer bb = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (bb.limit() < 8) {
            throw new CheckpointException(file, "truncated: " + bb.limit() + " bytes, too short for a FlatBuffer");
        }
        String id = new String(new byte[] {bb.get(4), bb.get(5), bb.get(6), bb.get(7)}, StandardCharsets.ISO_8859_1);
        if (!id.equals(identifier)) {
            throw new CheckpointException(file, "not a " + identifier + " FlatBuffer (identifier \"" + printable(id)
                    + "\")");
        }
        return at(file, bb, target(file, bb, 0, what), what);
    }

    private static FlatTable at(Path file, ByteBuffer bb, int pos, String what) throws CheckpointException {
        FlatTable t = new FlatTable(file, what);
        long limit = bb.limit();
        if (pos < 0 || pos + 4L > limit) {
            throw t.broken("table at offset " + pos + " lies outside the " + limit + "-byte file");
        }
        long vt = pos - (long) bb.getInt(pos);
        if (vt < 0 || vt + 4 > limit) {
            throw t.broken("vtable at offset " + vt + " lies outside the file");
        }
        int vtSize = Short.toUnsignedInt(bb.getShort((int) vt));
        int size = Short.toUnsignedInt(bb.getShort((int) vt + 2));
        if (vtSize < 4 || vtSize % 2 != 0 || vt + vtSize > limit) {
            throw t.broken("vtable of " + vtSize + " bytes at offset " + vt + " does not fit");
        }
        if (size < 4 || pos + (long) size > limit) {
            throw t.broken("table of " + size + " bytes at offset " + pos + " does not fit");
        }
        t.inlineSize = size;
        t.__reset(pos, bb);
        return t;
    }

    /** A uoffset stored at {@code at}: its target, checked to lie in the buffer. */
    private static int target(Path file, ByteBuffer bb, int at, String what) throws CheckpointException {
        long t = at + Integer.toUnsignedLong(bb.getInt(at));
        if (t + 4 > bb.limit()) {
            throw new CheckpointException(file, what + ": offset " + t + " points outside the " + bb.limit()
                    + "-byte file (truncated or damaged)");
        }
        return (int) t;
    }

    CheckpointException broken(String problem) {
        return new CheckpointException(file, what + ": " + problem);
    }

    Path file() {
        return file;
    }

    String what() {
        return what;
    }

    /** The absolute position of field {@code slot} of {@code width} bytes, or -1 when the field is absent. */
    private int field(int slot, int width) throws CheckpointException {
        int off = Short.toUnsignedInt((short) __offset(4 + 2 * slot));
        if (off == 0) {
            return -1;
        }
        if (off + width > inlineSize) {
            throw broken("field " + slot + " at " + off + " lies outside its " + inlineSize + "-byte table");
        }
        return bb_pos + off;
    }

    boolean has(int slot) throws CheckpointException {
        return field(slot, 1) >= 0;
    }

    byte int8(int slot, int fallback) throws CheckpointException {
        int p = field(slot, 1);
        return p < 0 ? (byte) fallback : bb.get(p);
    }

    int uint8(int slot, int fallback) throws CheckpointException {
        int p = field(slot, 1);
        return p < 0 ? fallback : Byte.toUnsignedInt(bb.get(p));
    }

    int int32(int slot, int fallback) throws CheckpointException {
        int p = field(slot, 4);
        return p < 0 ? fallback : bb.getInt(p);
    }

    long uint32(int slot, long fallback) throws CheckpointException {
        int p = field(slot, 4);
        return p < 0 ? fallback : Integer.toUnsignedLong(bb.getInt(p));
    }

    /** An unsigned 64-bit field; values past Long.MAX_VALUE come back negative, which callers refuse. */
    long uint64(int slot, long fallback) throws CheckpointException {
        int p = field(slot, 8);
        return p < 0 ? fallback : bb.getLong(p);
    }

    float float32(int slot, float fallback) throws CheckpointException {
        int p = field(slot, 4);
        return p < 0 ? fallback : bb.getFloat(p);
    }

    /** A sub-table, or null when absent. */
    FlatTable table(int slot, String childWhat) throws CheckpointException {
        int p = field(slot, 4);
        if (p < 0) {
            return null;
        }
        return at(file, bb, target(file, bb, p, what + " field " + slot), childWhat);
    }

    /** Start (first element) and length of a vector field of {@code elementSize}-byte elements; null when absent. */
    private long[] vector(int slot, int elementSize) throws CheckpointException {
        int p = field(slot, 4);
        if (p < 0) {
            return null;
        }
        int v = target(file, bb, p, what + " field " + slot);
        long n = Integer.toUnsignedLong(bb.getInt(v));
        long start = v + 4L;
        if (n * elementSize > bb.limit() - start) {
            throw broken("field " + slot + " claims " + n + " elements of " + elementSize + " bytes but only "
                    + (bb.limit() - start) + " bytes follow");
        }
        return new long[] {start, n};
    }

    /** Number of elements of a vector field (0 when absent). */
    int length(int slot, int elementSize) throws CheckpointException {
        long[] v = vector(slot, elementSize);
        return v == null ? 0 : (int) v[1];
    }

    /** The tables of a vector-of-tables field, in order; {@code what(i)} names each for messages. */
    FlatTable[] tables(int slot, java.util.function.IntFunction<String> childWhat) throws CheckpointException {
        long[] v = vector(slot, 4);
        if (v == null) {
            return new FlatTable[0];
        }
        FlatTable[] out = new FlatTable[(int) v[1]];
        for (int i = 0; i < out.length; i++) {
            String w = childWhat.apply(i);
            out[i] = at(file, bb, target(file, bb, (int) v[0] + 4 * i, w), w);
        }
        return out;
    }

    /** A vector of int32 (empty when absent). */
    int[] ints(int slot) throws CheckpointException {
        long[] v = vector(slot, 4);
        if (v == null) {
            return new int[0];
        }
        int[] out = new int[(int) v[1]];
        for (int i = 0; i < out.length; i++) {
            out[i] = bb.getInt((int) v[0] + 4 * i);
        }
        return out;
    }

    /** A vector of int64 (empty when absent). */
    long[] longs(int slot) throws CheckpointException {
        long[] v = vector(slot, 8);
        if (v == null) {
            return new long[0];
        }
        long[] out = new long[(int) v[1]];
        for (int i = 0; i < out.length; i++) {
            out[i] = bb.getLong((int) v[0] + 8 * i);
        }
        return out;
    }

    /** A vector of float32 (empty when absent). */
    float[] floats(int slot) throws CheckpointException {
        long[] v = vector(slot, 4);
        if (v == null) {
            return new float[0];
        }
        float[] out = new float[(int) v[1]];
        for (int i = 0; i < out.length; i++) {
            out[i] = bb.getFloat((int) v[0] + 4 * i);
        }
        return out;
    }

    /** A byte vector as a little-endian view of the buffer (no copy); null when absent. */
    ByteBuffer bytes(int slot) throws CheckpointException {
        long[] v = vector(slot, 1);
        if (v == null) {
            return null;
        }
        return slice(bb, v[0], v[1]);
    }

    /** {@code length} bytes of the buffer from {@code start}, little-endian; the caller has checked the range. */
    static ByteBuffer slice(ByteBuffer bb, long start, long length) {
        ByteBuffer s = bb.duplicate();
        s.limit((int) (start + length)).position((int) start);
        return s.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A string field (UTF-8; malformed bytes become U+FFFD), or null when absent. */
    String string(int slot) throws CheckpointException {
        long[] v = vector(slot, 1);
        if (v == null) {
            return null;
        }
        byte[] b = new byte[(int) v[1]];
        bb.duplicate().position((int) v[0]).get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The whole buffer this table lives in (for data stored past the FlatBuffer, by offset). */
    ByteBuffer buffer() {
        return bb;
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return sb.toString();
    }
}

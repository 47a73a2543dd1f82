package org.layerlens.engine.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounds-checked reader of the protobuf wire format, enough for ONNX: varints, 32/64-bit
 * fixed values and length-delimited fields. Every length is checked against what remains, so a
 * damaged file fails with a message naming the offset instead of reading past its end.
 */
final class Protobuf {
    /** One field of a message: number, wire type, and its value (a long or a byte range). */
    record Field(int number, int wire, long value, int start, int length) {
    }

    private final Path file;
    private final byte[] b;

    Protobuf(Path file, byte[] bytes) {
        this.file = file;
        this.b = bytes;
    }

    byte[] bytes() {
        return b;
    }

    /** The fields of the message in [start, start + length). */
    List<Field> fields(int start, int length) throws CheckpointException {
        List<Field> out = new ArrayList<>();
        int pos = start;
        int end = start + length;
        while (pos < end) {
            long[] key = varint(pos, end);
            pos = (int) key[1];
            int number = (int) (key[0] >>> 3);
            int wire = (int) (key[0] & 7);
            switch (wire) {
                case 0 -> {
                    long[] v = varint(pos, end);
                    out.add(new Field(number, wire, v[0], pos, (int) v[1] - pos));
                    pos = (int) v[1];
                }
                case 1 -> {
                    need(pos, 8, end);
                    out.add(new Field(number, wire, ByteBuffer.wrap(b, pos, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(),
                            pos, 8));
                    pos += 8;
                }
                case 5 -> {
                    need(pos, 4, end);
                    out.add(new Field(number, wire, ByteBuffer.wrap(b, pos, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(),
                            pos, 4));
                    pos += 4;
                }
                case 2 -> {
                    long[] len = varint(pos, end);
                    pos = (int) len[1];
                    if (len[0] < 0 || len[0] > end - pos) {
                        throw new CheckpointException(file, "protobuf field " + number + " at offset " + pos
                                + " declares " + len[0] + " bytes but only " + (end - pos) + " remain");
                    }
                    out.add(new Field(number, wire, len[0], pos, (int) len[0]));
                    pos += (int) len[0];
                }
                default -> throw new CheckpointException(file, "protobuf wire type " + wire + " at offset " + pos
                        + " is not valid (not an ONNX file, or damaged)");
            }
        }
        return out;
    }

    String string(Field f) {
        return new String(b, f.start(), f.length(), StandardCharsets.UTF_8);
    }

    /** Repeated int64: packed (wire 2) or one value (wire 0). */
    void longs(Field f, List<Long> out) throws CheckpointException {
        if (f.wire() == 0) {
            out.add(f.value());
            return;
        }
        int pos = f.start();
        int end = f.start() + f.length();
        while (pos < end) {
            long[] v = varint(pos, end);
            out.add(v[0]);
            pos = (int) v[1];
        }
    }

    private void need(int pos, int n, int end) throws CheckpointException {
        if (n > end - pos) {
            throw new CheckpointException(file, "protobuf value at offset " + pos + " runs past the end");
        }
    }

    /** {value, next position}. */
    private long[] varint(int pos, int end) throws CheckpointException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new CheckpointException(file, "protobuf varint at offset " + pos + " runs past the end");
            }
            int x = b[pos++] & 0xff;
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return new long[] {v, pos};
            }
        }
        throw new CheckpointException(file, "protobuf varint at offset " + pos + " is longer than 10 bytes");
    }
}

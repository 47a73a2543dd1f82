package org.layerlens.engine.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/** NumPy .npy files (version 1.0): float32 writing, float32/float64 reading, C order. */
public final class Npy {
    private Npy() {
    }

    public static void write(Path file, float[] data, long[] shape) throws IOException {
        StringBuilder sh = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sh.append(shape[i]).append(shape.length == 1 ? "," : (i + 1 < shape.length ? ", " : ""));
        }
        sh.append(')');
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + sh + ", }";
        int headerLen = dict.length() + 1;
        int total = 10 + headerLen;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer bb = ByteBuffer.allocate(10 + header.length() + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        bb.putShort((short) header.length());
        bb.put(header.getBytes(StandardCharsets.US_ASCII));
        bb.asFloatBuffer().put(data);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(bb.array());
        }
    }

    /** A float array read from .npy with its shape. */
    public record Array(long[] shape, float[] data) {
    }

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|]?(?:[fi][48]|u1))'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    public static Array read(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        if (b.length < 10 || (b[0] & 0xff) != 0x93 || b[1] != 'N') {
            throw new IOException(file + ": not a .npy file");
        }
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int major = b[6];
        int hlen = major == 1 ? (bb.getShort(8) & 0xffff) : bb.getInt(8);
        int start = major == 1 ? 10 : 12;
        String header = new String(b, start, hlen, StandardCharsets.US_ASCII);
        if (header.contains("'fortran_order': True")) {
            throw new IOException(file + ": Fortran-order arrays are not supported");
        }
        Matcher d = DESCR.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find()) {
            throw new IOException(file + ": unsupported .npy header " + header.trim());
        }
        String[] parts = s.group(1).split(",");
        int dims = 0;
        long[] shape = new long[parts.length];
        long n = 1;
        for (String p : parts) {
            if (!p.isBlank()) {
                shape[dims] = Long.parseLong(p.trim());
                n *= shape[dims++];
            }
        }
        long[] sh = java.util.Arrays.copyOf(shape, dims);
        String descr = d.group(1);
        ByteBuffer data = ByteBuffer.wrap(b, start + hlen, b.length - start - hlen)
                .order(descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[(int) n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (descr.substring(descr.length() - 2)) {
                case "f4" -> data.getFloat();
                case "f8" -> (float) data.getDouble();
                case "i4" -> data.getInt();
                case "u1" -> data.get() & 0xff;
                default -> data.getLong();
            };
        }
        return new Array(sh, out);
    }
}

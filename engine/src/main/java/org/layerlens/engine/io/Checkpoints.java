package org.layerlens.engine.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.layerlens.engine.io.SafeUnpickler.StorageRef;
import org.layerlens.engine.io.SafeUnpickler.TensorRef;

/**
 * Reads PyTorch checkpoints into a {@link StateDict} without running any code from the file.
 * Formats: the zip format of {@code torch.save} (PyTorch 1.6 and later) and the legacy format
 * (earlier versions, or {@code _use_new_zipfile_serialization=False}). Wrapped dicts
 * ({@code {"state_dict": ...}}, {@code "model"}, {@code "net"}) and DataParallel's
 * {@code module.} prefix are unwrapped, with a note saying so.
 */
public final class Checkpoints {
    private static final String[] WRAPPER_KEYS = {"state_dict", "model_state_dict", "model", "net"};

    private Checkpoints() {
    }

    public static StateDict read(Path file) throws CheckpointException {
        byte[] head = new byte[8];
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            int n = in.readNBytes(head, 0, head.length);
            if (n == 0) {
                throw new CheckpointException(file, "the file is empty");
            }
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read the file (" + e.getMessage() + ")", e);
        }
        if (head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return readZip(file);
        }
        if ((head[0] & 0xff) == 0x80 && head[1] == 2) {
            return readLegacy(file, size);
        }
        throw new CheckpointException(file, "not a PyTorch checkpoint (" + describe(head, size) + ")");
    }

    private static String describe(byte[] h, long size) {
        if ((h[0] & 0xff) == 0xff && (h[1] & 0xff) == 0xd8) {
            return "it is a JPEG image";
        }
        if ((h[0] & 0xff) == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G') {
            return "it is a PNG image";
        }
        StringBuilder sb = new StringBuilder("starts with bytes");
        for (int i = 0; i < Math.min(h.length, size); i++) {
            sb.append(String.format(" %02x", h[i]));
        }
        return sb.toString();
    }

    private static StateDict readZip(Path file) throws CheckpointException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String pkl = null;
            Map<String, ZipEntry> entries = new HashMap<>();
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry z = e.nextElement();
                entries.put(z.getName(), z);
                if (z.getName().endsWith("/data.pkl") && z.getName().indexOf('/') == z.getName().length() - 9) {
                    pkl = z.getName();
                }
            }
            if (pkl == null) {
                throw new CheckpointException(file, "zip archive has no <name>/data.pkl: not a torch.save file");
            }
            String prefix = pkl.substring(0, pkl.length() - "data.pkl".length());
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            ZipEntry bo = entries.get(prefix + "byteorder");
            if (bo != null) {
                String s = new String(readEntry(file, zip, bo, 16), StandardCharsets.US_ASCII).trim();
                if (s.equals("big")) {
                    order = ByteOrder.BIG_ENDIAN;
                } else if (!s.equals("little")) {
                    throw new CheckpointException(file, "byteorder entry says '" + s + "'");
                }
            }
            ZipEntry pe = entries.get(pkl);
            byte[] pickle = readEntry(file, zip, pe, 64L << 20);
            Object root = new SafeUnpickler(file, pkl, pickle, 0).load();
            List<String> notes = new ArrayList<>();
            Map<String, TensorRef> refs = unwrap(file, root, notes);
            LinkedHashMap<String, TensorData> tensors = new LinkedHashMap<>();
            Map<String, byte[]> storages = new HashMap<>();
            for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
                TensorRef t = e.getValue();
                StorageRef s = t.storage();
                byte[] bytes = storages.get(s.key());
                if (bytes == null) {
                    ZipEntry se = entries.get(prefix + "data/" + s.key());
                    if (se == null) {
                        throw new CheckpointException(file, "storage '" + s.key() + "' of tensor '" + e.getKey()
                                + "' is missing from the archive (" + prefix + "data/" + s.key() + ")");
                    }
                    if (s.numel() > Integer.MAX_VALUE / 8) {
                        throw new CheckpointException(file, "storage '" + s.key() + "' declares " + s.numel()
                                + " elements, more than any model here holds");
                    }
                    long need = s.numel() * elementSize(s.dtype());
                    if (se.getSize() >= 0 && se.getSize() < need) {
                        throw new CheckpointException(file, "storage '" + s.key() + "' declares " + s.numel()
                                + " elements (" + need + " bytes) but holds " + se.getSize() + " bytes");
                    }
                    bytes = readEntry(file, zip, se, need);
                    if (bytes.length < need) {
                        throw new CheckpointException(file, "storage '" + s.key() + "' is truncated: "
                                + bytes.length + " of " + need + " bytes");
                    }
                    storages.put(s.key(), bytes);
                }
                tensors.put(e.getKey(), materialise(file, e.getKey(), t, bytes, order));
            }
            StateDict sd = new StateDict(file, tensors);
            notes.forEach(sd::note);
            return sd;
        } catch (ZipException e) {
            throw new CheckpointException(file, "broken zip archive (" + e.getMessage() + ")", e);
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read the archive (" + e.getMessage() + ")", e);
        }
    }

    private static final java.math.BigInteger LEGACY_MAGIC = new java.math.BigInteger("1950a86a20f9469cfc6c", 16);

    /**
     * The legacy format: pickles of the magic number, the protocol version, system info, the
     * object (storages as persistent ids) and the list of storage keys; then each storage's
     * element count (int64, little endian) and raw bytes, in that order.
     */
    private static StateDict readLegacy(Path file, long size) throws CheckpointException {
        if (size > Integer.MAX_VALUE - 16) {
            throw new CheckpointException(file, "legacy checkpoint larger than 2 GB");
        }
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read the file (" + e.getMessage() + ")", e);
        }
        SafeUnpickler p = new SafeUnpickler(file, "legacy magic number", b, 0);
        Object magic = p.load();
        if (!LEGACY_MAGIC.equals(magic)) {
            throw new CheckpointException(file, "a pickle, but not a torch.save file (no legacy magic number)");
        }
        p = new SafeUnpickler(file, "legacy protocol version", b, p.position());
        Object version = p.load();
        if (!Long.valueOf(1001).equals(version)) {
            throw new CheckpointException(file, "legacy protocol version " + version + " (expected 1001)");
        }
        p = new SafeUnpickler(file, "legacy system info", b, p.position());
        Object sys = p.load();
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        if (sys instanceof Map<?, ?> m && Boolean.FALSE.equals(m.get("little_endian"))) {
            order = ByteOrder.BIG_ENDIAN;
        }
        p = new SafeUnpickler(file, "legacy object pickle", b, p.position());
        Object root = p.load();
        p = new SafeUnpickler(file, "legacy storage key list", b, p.position());
        Object keyList = p.load();
        if (!(keyList instanceof List<?> keys)) {
            throw new CheckpointException(file, "legacy storage key list is not a list");
        }
        List<String> notes = new ArrayList<>();
        notes.add("legacy torch.save format (PyTorch < 1.6)");
        Map<String, TensorRef> refs = unwrap(file, root, notes);
        Map<String, StorageRef> byKey = new HashMap<>();
        for (TensorRef t : refs.values()) {
            byKey.put(t.storage().key(), t.storage());
        }
        Map<String, byte[]> storages = new HashMap<>();
        ByteBuffer buf = ByteBuffer.wrap(b).order(order);
        int pos = p.position();
        for (Object k : keys) {
            String key = String.valueOf(k);
            if (pos + 8 > b.length) {
                throw new CheckpointException(file, "truncated: storage '" + key + "' header at offset " + pos
                        + " is past the end (" + b.length + " bytes)");
            }
            long numel = buf.getLong(pos);
            pos += 8;
            StorageRef s = byKey.get(key);
            int es = s == null ? 4 : elementSize(s.dtype());
            if (numel < 0 || (s != null && numel != s.numel())) {
                throw new CheckpointException(file, "storage '" + key + "' at offset " + (pos - 8) + " declares "
                        + numel + " elements" + (s == null ? "" : " but the pickle says " + s.numel()));
            }
            long bytes = numel * es;
            if (bytes > b.length - pos) {
                throw new CheckpointException(file, "storage '" + key + "' declares " + bytes + " bytes at offset "
                        + pos + " but only " + (b.length - pos) + " remain (truncated file?)");
            }
            if (s != null) {
                storages.put(key, java.util.Arrays.copyOfRange(b, pos, (int) (pos + bytes)));
            }
            pos += (int) bytes;
        }
        LinkedHashMap<String, TensorData> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            byte[] data = storages.get(e.getValue().storage().key());
            if (data == null) {
                throw new CheckpointException(file, "storage '" + e.getValue().storage().key() + "' of tensor '"
                        + e.getKey() + "' is missing from the file");
            }
            tensors.put(e.getKey(), materialise(file, e.getKey(), e.getValue(), data, order));
        }
        StateDict sd = new StateDict(file, tensors);
        notes.forEach(sd::note);
        return sd;
    }

    private static byte[] readEntry(Path file, ZipFile zip, ZipEntry e, long max) throws IOException {
        try (InputStream in = zip.getInputStream(e)) {
            byte[] data = in.readNBytes((int) Math.min(max, Integer.MAX_VALUE - 16));
            return data;
        } catch (ZipException ex) {
            throw new CheckpointException(file, "entry " + e.getName() + " is damaged (" + ex.getMessage() + ")", ex);
        }
    }

    /** Finds the state_dict inside what the pickle returned. */
    static Map<String, TensorRef> unwrap(Path file, Object root, List<String> notes) throws CheckpointException {
        Object cur = root;
        for (int depth = 0; depth < 4; depth++) {
            if (!(cur instanceof Map<?, ?> m)) {
                throw new CheckpointException(file, "the pickle holds " + typeOf(cur) + ", not a state_dict");
            }
            Map<String, TensorRef> tensors = tensorsOf(m);
            if (tensors != null && !tensors.isEmpty()) {
                return stripPrefix(tensors, notes);
            }
            Object next = null;
            for (String k : WRAPPER_KEYS) {
                if (m.get(k) instanceof Map<?, ?> inner) {
                    notes.add("unwrapped the state_dict from the checkpoint's \"" + k + "\" entry");
                    next = inner;
                    break;
                }
            }
            if (next == null) {
                List<String> keys = new ArrayList<>();
                for (Object k : m.keySet()) {
                    if (keys.size() < 6) {
                        keys.add(String.valueOf(k));
                    }
                }
                throw new CheckpointException(file, "no state_dict found: a dict with keys " + keys
                        + " and no tensors under state_dict/model/net");
            }
            cur = next;
        }
        throw new CheckpointException(file, "state_dict nested too deeply");
    }

    private static Map<String, TensorRef> tensorsOf(Map<?, ?> m) {
        LinkedHashMap<String, TensorRef> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof TensorRef t)) {
                return null;
            }
            out.put(k, t);
        }
        return out;
    }

    private static Map<String, TensorRef> stripPrefix(Map<String, TensorRef> t, List<String> notes) {
        for (String p : new String[] {"module.", "model."}) {
            if (t.keySet().stream().allMatch(k -> k.startsWith(p))) {
                LinkedHashMap<String, TensorRef> out = new LinkedHashMap<>();
                t.forEach((k, v) -> out.put(k.substring(p.length()), v));
                notes.add("removed the \"" + p + "\" prefix from every key (DataParallel)");
                return out;
            }
        }
        return t;
    }

    private static String typeOf(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    static int elementSize(String dtype) {
        return switch (dtype) {
            case "float64", "int64" -> 8;
            case "float32", "int32" -> 4;
            case "float16", "bfloat16", "int16" -> 2;
            default -> 1;
        };
    }

    static TensorData materialise(Path file, String key, TensorRef t, byte[] bytes, ByteOrder order)
            throws CheckpointException {
        long[] size = t.size();
        long[] stride = t.stride();
        if (size.length != stride.length) {
            throw new CheckpointException(file, "tensor '" + key + "' has " + size.length + " sizes but "
                    + stride.length + " strides");
        }
        long numel = 1;
        long extent = t.offset();
        long limit = t.storage().numel();
        for (int i = 0; i < size.length; i++) {
            if (size[i] > limit || stride[i] > limit) {
                throw new CheckpointException(file, "tensor '" + key + "' claims shape " + TensorData.torchSize(size)
                        + " on a storage of " + limit + " elements");
            }
            numel *= size[i]; // cannot overflow: checked against limit below at each step
            if (numel > limit && numel > 0) {
                throw new CheckpointException(file, "tensor '" + key + "' of shape " + TensorData.torchSize(size)
                        + " has more elements than its storage (" + limit + ")");
            }
            if (size[i] > 0) {
                extent += (size[i] - 1) * stride[i];
            }
        }
        if (numel > 0 && extent >= limit) {
            throw new CheckpointException(file, "tensor '" + key + "' of shape " + TensorData.torchSize(size)
                    + " reaches element " + extent + " of a storage with " + t.storage().numel());
        }
        if (numel > Integer.MAX_VALUE - 16) {
            throw new CheckpointException(file, "tensor '" + key + "' is too large: " + numel + " elements");
        }
        String dt = t.storage().dtype();
        int es = elementSize(dt);
        if (limit * es > bytes.length) {
            throw new CheckpointException(file, "tensor '" + key + "' reads storage '" + t.storage().key() + "' as "
                    + limit + " " + dt + " values, but it holds only " + bytes.length + " bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(order);
        float[] out = new float[(int) numel];
        long[] idx = new long[size.length];
        for (int n = 0; n < numel; n++) {
            long off = t.offset();
            for (int d = 0; d < size.length; d++) {
                off += idx[d] * stride[d];
            }
            int p = (int) (off * es);
            out[n] = switch (dt) {
                case "float32" -> buf.getFloat(p);
                case "float64" -> (float) buf.getDouble(p);
                case "float16" -> halfToFloat(buf.getShort(p));
                case "bfloat16" -> Float.intBitsToFloat((buf.getShort(p) & 0xffff) << 16);
                case "int64" -> buf.getLong(p);
                case "int32" -> buf.getInt(p);
                case "int16" -> buf.getShort(p);
                case "uint8" -> bytes[p] & 0xff;
                default -> bytes[p];
            };
            for (int d = size.length - 1; d >= 0; d--) {
                if (++idx[d] < size[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return new TensorData(size.clone(), out, dt);
    }

    /** IEEE 754 binary16 to float (Float.float16ToFloat arrived only in Java 20). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (exp == 31) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}

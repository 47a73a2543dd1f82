package org.layerlens.engine.io;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle reader that understands only what a PyTorch state_dict needs and refuses everything
 * else. It never instantiates a class named by the file: globals resolve through an allow-list
 * ({@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2}, storage types) at the
 * moment the GLOBAL opcode is read, so a payload such as {@code os.system} fails before anything
 * is called or constructed. Opcodes that build arbitrary objects (INST, OBJ, NEWOBJ, EXT*) are
 * refused outright.
 */
public final class SafeUnpickler {
    /** A global the file names, after the allow-list accepted it. */
    public record Global(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /** An immutable Python tuple. */
    public record Tuple(List<Object> items) {
    }

    /** A storage the pickle refers to by persistent id; its bytes live elsewhere in the file. */
    public record StorageRef(String dtype, String key, long numel) {
    }

    /** A tensor view onto a storage ({@code _rebuild_tensor_v2}). */
    public record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
    }

    private static final Map<String, String> STORAGES = Map.of(
            "FloatStorage", "float32", "DoubleStorage", "float64", "HalfStorage", "float16",
            "BFloat16Storage", "bfloat16", "LongStorage", "int64", "IntStorage", "int32",
            "ShortStorage", "int16", "CharStorage", "int8", "ByteStorage", "uint8", "BoolStorage", "bool");
    private static final Set<String> CALLABLES = Set.of(
            "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor",
            "torch._utils._rebuild_parameter");
    private static final int MAX_STACK = 1 << 20;
    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "MARK";
        }
    };

    private final Path file;
    private final String part;
    private final byte[] b;
    private final int start;
    private int pos;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final ArrayList<Integer> marks = new ArrayList<>();
    private final Map<Integer, Object> memo = new HashMap<>();
    private static final int MAX_MEMO = 1 << 22;

    /**
     * @param file for error messages
     * @param part which pickle inside the file (for error messages), e.g. {@code archive/data.pkl}
     */
    public SafeUnpickler(Path file, String part, byte[] bytes, int start) {
        this.file = file;
        this.part = part;
        this.b = bytes;
        this.start = start;
        this.pos = start;
    }

    /** Position after the STOP opcode, once {@link #load()} returned. */
    public int position() {
        return pos;
    }

    public static String storageDtype(String name) {
        return STORAGES.get(name);
    }

    public Object load() throws CheckpointException {
        while (true) {
            int at = pos;
            int op = u8(at);
            switch (op) {
                case 0x80 -> u8(at); // PROTO n
                case 0x95 -> bytes(8, at); // FRAME
                case '}' -> push(new LinkedHashMap<>());
                case ']' -> push(new ArrayList<>());
                case ')' -> push(new Tuple(List.of()));
                case '(' -> {
                    marks.add(stack.size());
                    push(MARK);
                }
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'K' -> push((long) u8(at));
                case 'M' -> push((long) (u8(at) | (u8(at) << 8)));
                case 'J' -> push((long) s32(at));
                case 0x8a -> push(long1(at));
                case 'G' -> push(Double.longBitsToDouble(be64(at)));
                case 'X' -> push(utf8(len32(at), at));
                case 0x8c -> push(utf8(u8(at), at));
                case 0x8d -> push(utf8(len64(at), at));
                case 'B' -> push(bytes(len32(at), at));
                case 'C' -> push(bytes(u8(at), at));
                case 'q' -> memoPut(u8(at), peek(at), at);
                case 'r' -> memoPut(s32(at), peek(at), at);
                case 0x94 -> memoPut(memo.size(), peek(at), at);
                case 'h' -> push(memoGet(u8(at), at));
                case 'j' -> push(memoGet(s32(at), at));
                case 'c' -> push(global(line(at), line(at), at));
                case 0x93 -> {
                    Object name = pop(at);
                    Object module = pop(at);
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw fail(at, "STACK_GLOBAL needs two strings");
                    }
                    push(global(m, n, at));
                }
                case 't' -> push(new Tuple(popToMark(at)));
                case 0x85 -> push(new Tuple(listOf(pop(at))));
                case 0x86 -> {
                    Object y = pop(at);
                    Object x = pop(at);
                    push(new Tuple(listOf(x, y)));
                }
                case 0x87 -> {
                    Object z = pop(at);
                    Object y = pop(at);
                    Object x = pop(at);
                    push(new Tuple(listOf(x, y, z)));
                }
                case 'a' -> {
                    Object v = pop(at);
                    asList(peek(at), at).add(v);
                }
                case 'e' -> {
                    List<Object> items = popToMark(at);
                    asList(peek(at), at).addAll(items);
                }
                case 's' -> {
                    Object v = pop(at);
                    Object k = pop(at);
                    asMap(peek(at), at).put(k, v);
                }
                case 'u' -> {
                    List<Object> items = popToMark(at);
                    if (items.size() % 2 != 0) {
                        throw fail(at, "SETITEMS with an odd number of items");
                    }
                    Map<Object, Object> m = asMap(peek(at), at);
                    for (int i = 0; i < items.size(); i += 2) {
                        m.put(items.get(i), items.get(i + 1));
                    }
                }
                case 'Q' -> push(persistent(pop(at), at));
                case 'R' -> {
                    Object args = pop(at);
                    Object fn = pop(at);
                    push(reduce(fn, args, at));
                }
                case 'b' -> {
                    Object state = pop(at);
                    Object target = peek(at);
                    // OrderedDict state carries state_dict._metadata (versions): accepted, unused
                    if (!(target instanceof Map) || !(state == null || state instanceof Map
                            || state instanceof Tuple)) {
                        throw fail(at, "BUILD is allowed only on dicts");
                    }
                }
                case '.' -> {
                    Object result = pop(at);
                    return result;
                }
                default -> throw fail(at, String.format("pickle opcode 0x%02x is not allowed in a state_dict", op));
            }
        }
    }

    private static List<Object> listOf(Object... xs) {
        List<Object> l = new ArrayList<>(xs.length);
        for (Object x : xs) {
            l.add(x);
        }
        return l;
    }

    private Object global(String module, String name, int at) throws CheckpointException {
        String full = module + "." + name;
        if ((module.equals("torch") && STORAGES.containsKey(name)) || CALLABLES.contains(full)) {
            return new Global(module, name);
        }
        throw fail(at, "refuses global '" + full + "': a state_dict may only name OrderedDict, "
                + "torch._utils._rebuild_tensor_v2 and storage types" + (wholeModule() ? "; the file holds a whole "
                + "pickled model (torch.save(model): a class, not only tensors), which cannot be read without running "
                + "its code: save model.state_dict() instead (pytorch-ssd's net.save does)" : ""));
    }

    /**
     * Whether the pickle looks like torch.save(model): an nn.Module's __dict__ names _parameters and
     * _modules. Only the bytes are searched; nothing is built.
     */
    private boolean wholeModule() {
        return contains("_parameters") && contains("_modules");
    }

    private boolean contains(String ascii) {
        byte[] n = ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = start; i <= b.length - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (b[i + j] != n[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private Object persistent(Object pid, int at) throws CheckpointException {
        if (!(pid instanceof Tuple t) || t.items().size() < 5 || !"storage".equals(t.items().get(0))) {
            throw fail(at, "persistent id is not a ('storage', type, key, location, numel) tuple");
        }
        List<Object> it = t.items();
        if (!(it.get(1) instanceof Global g) || !STORAGES.containsKey(g.name())) {
            throw fail(at, "persistent id names no storage type");
        }
        if (!(it.get(2) instanceof String key) || !(it.get(4) instanceof Long numel) || numel < 0) {
            throw fail(at, "persistent id has a bad key or element count");
        }
        if (it.size() > 5 && it.get(5) != null) {
            throw fail(at, "storage '" + key + "' is a view of another storage (legacy view_metadata), "
                    + "which state_dicts do not use; not supported");
        }
        return new StorageRef(STORAGES.get(g.name()), key, numel);
    }

    private Object reduce(Object fn, Object args, int at) throws CheckpointException {
        if (!(fn instanceof Global g)) {
            throw fail(at, "REDUCE on something that is not an allowed global");
        }
        if (!(args instanceof Tuple t)) {
            throw fail(at, "REDUCE arguments are not a tuple");
        }
        List<Object> a = t.items();
        switch (g.toString()) {
            case "collections.OrderedDict":
                if (!a.isEmpty()) {
                    throw fail(at, "OrderedDict with constructor arguments");
                }
                return new LinkedHashMap<>();
            case "torch._utils._rebuild_tensor_v2":
            case "torch._utils._rebuild_tensor":
                if (a.size() < 4 || !(a.get(0) instanceof StorageRef s) || !(a.get(1) instanceof Long off)) {
                    throw fail(at, "_rebuild_tensor arguments are not (storage, offset, size, stride, ...)");
                }
                return new TensorRef(s, off, longs(a.get(2), at), longs(a.get(3), at));
            case "torch._utils._rebuild_parameter":
                if (a.isEmpty() || !(a.get(0) instanceof TensorRef)) {
                    throw fail(at, "_rebuild_parameter without a tensor");
                }
                return a.get(0);
            default:
                throw fail(at, "'" + g + "' cannot be called");
        }
    }

    private long[] longs(Object o, int at) throws CheckpointException {
        if (!(o instanceof Tuple t)) {
            throw fail(at, "tensor size/stride is not a tuple");
        }
        long[] r = new long[t.items().size()];
        for (int i = 0; i < r.length; i++) {
            if (!(t.items().get(i) instanceof Long v) || v < 0) {
                throw fail(at, "tensor size/stride holds a non-integer or a negative value");
            }
            r[i] = v;
        }
        return r;
    }

    @SuppressWarnings("unchecked")
    private List<Object> asList(Object o, int at) throws CheckpointException {
        if (o instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw fail(at, "APPEND to something that is not a list");
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> asMap(Object o, int at) throws CheckpointException {
        if (o instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw fail(at, "SETITEM on something that is not a dict");
    }

    private void push(Object o) throws CheckpointException {
        if (stack.size() >= MAX_STACK) {
            throw fail(pos, "pickle stack grows past " + MAX_STACK + " entries");
        }
        stack.add(o);
    }

    private Object pop(int at) throws CheckpointException {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw fail(at, "pickle stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek(int at) throws CheckpointException {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw fail(at, "pickle stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popToMark(int at) throws CheckpointException {
        if (marks.isEmpty()) {
            throw fail(at, "no MARK on the pickle stack");
        }
        int m = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private void memoPut(int key, Object value, int at) throws CheckpointException {
        if (memo.size() >= MAX_MEMO) {
            throw fail(at, "pickle memo grows past " + MAX_MEMO + " entries");
        }
        memo.put(key, value);
    }

    private Object memoGet(int key, int at) throws CheckpointException {
        if (!memo.containsKey(key)) {
            throw fail(at, "memo entry " + key + " was never stored");
        }
        return memo.get(key);
    }

    private int u8(int at) throws CheckpointException {
        if (pos >= b.length) {
            throw fail(at, "ends in the middle of the pickle (truncated file?)");
        }
        return b[pos++] & 0xff;
    }

    private int s32(int at) throws CheckpointException {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= u8(at) << (8 * i);
        }
        return v;
    }

    private int len32(int at) throws CheckpointException {
        long v = s32(at) & 0xffffffffL;
        if (v > b.length - pos) {
            throw fail(at, "declares a length of " + v + " bytes but only " + (b.length - pos) + " remain");
        }
        return (int) v;
    }

    private int len64(int at) throws CheckpointException {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= ((long) u8(at)) << (8 * i);
        }
        if (v < 0 || v > b.length - pos) {
            throw fail(at, "declares a length of " + Long.toUnsignedString(v) + " bytes but only "
                    + (b.length - pos) + " remain");
        }
        return (int) v;
    }

    private long be64(int at) throws CheckpointException {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | u8(at);
        }
        return v;
    }

    private Object long1(int at) throws CheckpointException {
        int n = u8(at);
        if (n > 8) {
            if (n > 16) {
                throw fail(at, "integer of " + n + " bytes is too large for a checkpoint");
            }
            byte[] le = bytes(n, at);
            byte[] be = new byte[n];
            for (int i = 0; i < n; i++) {
                be[i] = le[n - 1 - i];
            }
            return new java.math.BigInteger(be); // the legacy format's magic number is 10 bytes
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= ((long) u8(at)) << (8 * i);
        }
        if (n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0) {
            v -= 1L << (8 * n);
        }
        return v;
    }

    private byte[] bytes(int n, int at) throws CheckpointException {
        if (n > b.length - pos) {
            throw fail(at, "ends in the middle of the pickle (truncated file?)");
        }
        byte[] r = new byte[n];
        System.arraycopy(b, pos, r, 0, n);
        pos += n;
        return r;
    }

    private String utf8(int n, int at) throws CheckpointException {
        return new String(bytes(n, at), StandardCharsets.UTF_8);
    }

    private String line(int at) throws CheckpointException {
        int start = pos;
        while (pos < b.length && b[pos] != '\n') {
            pos++;
            if (pos - start > 256) {
                throw fail(at, "GLOBAL name longer than 256 bytes");
            }
        }
        if (pos >= b.length) {
            throw fail(at, "ends in the middle of the pickle (truncated file?)");
        }
        String s = new String(b, start, pos - start, StandardCharsets.UTF_8);
        pos++;
        return s;
    }

    private CheckpointException fail(int at, String problem) {
        return new CheckpointException(file, problem + " (" + part + ", offset " + at + ")");
    }
}

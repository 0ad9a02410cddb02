package vista.nn.weights.torch;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A restricted interpreter of the pickles PyTorch writes (protocol 2, with the protocol 4 {@code FRAME}
 * and {@code MEMOIZE}): it builds inert values and never loads a class or calls a function by a name read
 * from the file.
 *
 * <p><b>Values.</b> Python dicts become insertion-ordered {@link LinkedHashMap}s, lists
 * {@link ArrayList}s, tuples {@link PickleTuple}s, strings {@link String}s, integers {@link Long}s (or
 * {@link BigInteger}s beyond 64 bits), floats {@link Double}s, booleans {@link Boolean}s, {@code None}
 * {@code null}, storages (persistent ids) {@link StorageRef}s and tensors {@link TensorRef}s.
 *
 * <p><b>Globals.</b> Only these (module, name) pairs are understood; any other is refused, naming it:
 * {@code collections.OrderedDict} (called with no arguments: an empty map),
 * {@code torch._utils._rebuild_tensor_v2} (a {@link TensorRef}), {@code torch._utils._rebuild_parameter}
 * and {@code _rebuild_parameter_with_state} (the tensor they wrap), and the storage classes
 * {@code torch.<T>Storage} and {@code torch.cuda.<T>Storage} of {@link StorageType}, which may only
 * appear inside a persistent id.
 *
 * <p><b>Bounds.</b> At most {@value #MAX_STACK} values on the stack (all marks included) and
 * {@value #MAX_MEMO} memo entries; every string's length is checked against the remaining bytes before
 * it is read; set and append opcodes check that their target is a dict or a list.
 *
 * <p><b>BUILD</b> (setting an object's state) is accepted in two inert forms only: an empty state on a
 * tensor, and a dict of attributes on a dict (the {@code _metadata} attribute of a state dict, which
 * holds module version numbers), which is dropped.
 */
public final class Unpickler {
    static final int MAX_STACK = 1 << 16;
    static final int MAX_MEMO = 1 << 20;
    private static final int MAX_GLOBAL_NAME = 256;
    private static final int MAX_LONG_BYTES = 16;
    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "a MARK";
        }
    };
    private static final PickleGlobal ORDERED_DICT = new PickleGlobal("collections", "OrderedDict");
    private static final PickleGlobal REBUILD_TENSOR = new PickleGlobal("torch._utils", "_rebuild_tensor_v2");
    private static final PickleGlobal REBUILD_PARAMETER = new PickleGlobal("torch._utils", "_rebuild_parameter");
    private static final PickleGlobal REBUILD_PARAMETER_WITH_STATE =
            new PickleGlobal("torch._utils", "_rebuild_parameter_with_state");
    private static final Set<PickleGlobal> CALLABLE = Set.of(ORDERED_DICT, REBUILD_TENSOR, REBUILD_PARAMETER,
            REBUILD_PARAMETER_WITH_STATE);

    private final String where;
    private final ByteBuffer in;
    private final List<Object> stack = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private final Map<String, StorageRef> storages;
    private int opcodeAt;

    private Unpickler(String where, ByteBuffer in, Map<String, StorageRef> storages) {
        this.where = where;
        this.in = in;
        this.storages = storages;
    }

    /**
     * Interprets the pickle that starts at {@code in}'s position, leaving the position just after its
     * {@code STOP}.
     *
     * @param where    the file (and entry) it comes from, for error messages
     * @param in       the bytes; its byte order is irrelevant (the reader sets what each opcode needs)
     * @param storages every storage named by a persistent id so far, by key; new ones are added
     * @return the pickled value
     * @throws WeightFileException if the pickle is malformed, truncated, or names anything not allowed
     */
    public static Object load(String where, ByteBuffer in, Map<String, StorageRef> storages)
            throws WeightFileException {
        return new Unpickler(where, in, storages).run();
    }

    private Object run() throws WeightFileException {
        while (true) {
            int at = in.position();
            opcodeAt = at;
            int opcode = u8();
            switch (opcode) {
                case 0x80 -> { // PROTO
                    int protocol = u8();
                    if (protocol < 2 || protocol > 5) {
                        throw fail(at, "pickle protocol " + protocol + " is not one PyTorch writes (2 to 5)");
                    }
                }
                case 0x95 -> skip(8); // FRAME: a length hint only
                case '}' -> push(new LinkedHashMap<Object, Object>()); // EMPTY_DICT
                case ']' -> push(new ArrayList<Object>()); // EMPTY_LIST
                case ')' -> push(new PickleTuple(new ArrayList<>())); // EMPTY_TUPLE
                case '(' -> push(MARK);
                case 'q' -> memoize(u8(), at); // BINPUT
                case 'r' -> memoize(need(4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL, at); // LONG_BINPUT
                case 0x94 -> memoize(memo.size(), at); // MEMOIZE
                case 'h' -> push(recall(u8(), at)); // BINGET
                case 'j' -> push(recall(need(4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL, at)); // LONG_BINGET
                case 'J' -> push((long) need(4).order(ByteOrder.LITTLE_ENDIAN).getInt()); // BININT
                case 'K' -> push((long) u8()); // BININT1
                case 'M' -> push((long) (need(2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF)); // BININT2
                case 0x8a -> push(long1(at)); // LONG1
                case 'G' -> push(need(8).order(ByteOrder.BIG_ENDIAN).getDouble()); // BINFLOAT
                case 'X' -> push(string(need(4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL, at)); // BINUNICODE
                case 0x8c -> push(string(u8(), at)); // SHORT_BINUNICODE
                case 0x85 -> push(tuple(popN(1, at))); // TUPLE1
                case 0x86 -> push(tuple(popN(2, at))); // TUPLE2
                case 0x87 -> push(tuple(popN(3, at))); // TUPLE3
                case 't' -> push(tuple(popToMark(at))); // TUPLE
                case 's' -> setItems(popN(2, at), at); // SETITEM
                case 'u' -> setItems(popToMark(at), at); // SETITEMS
                case 'a' -> append(popN(1, at), at); // APPEND
                case 'e' -> append(popToMark(at), at); // APPENDS
                case 'c' -> push(global(at)); // GLOBAL
                case 'R' -> reduce(at); // REDUCE
                case 'b' -> build(at); // BUILD
                case 'Q' -> push(persistent(pop(at), at)); // BINPERSID
                case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                case 'N' -> push(null); // NONE
                case '.' -> { // STOP
                    if (stack.size() != 1 || stack.get(0) == MARK) {
                        throw fail(at, "the pickle stops with " + stack.size() + " values on its stack instead of one");
                    }
                    return stack.get(0);
                }
                default -> throw fail(at, String.format("opcode 0x%02x is not one a PyTorch weight file uses", opcode));
            }
        }
    }

    // ---------------------------------------------------------------- bytes

    private ByteBuffer need(long count) throws WeightFileException {
        if (count > in.remaining()) {
            throw fail(in.position(), "truncated: " + count + " bytes needed, " + in.remaining() + " left");
        }
        ByteBuffer slice = in.slice(in.position(), (int) count);
        in.position(in.position() + (int) count);
        return slice;
    }

    private void skip(int count) throws WeightFileException {
        need(count);
    }

    private int u8() throws WeightFileException {
        return need(1).get() & 0xFF;
    }

    private String string(long length, int at) throws WeightFileException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(need(length)).toString();
        } catch (CharacterCodingException e) {
            throw fail(at, "a string that is not UTF-8");
        }
    }

    private Object long1(int at) throws WeightFileException {
        int n = u8();
        if (n > MAX_LONG_BYTES) {
            throw fail(at, "an integer of " + n + " bytes (at most " + MAX_LONG_BYTES + " are accepted)");
        }
        byte[] little = new byte[n];
        need(n).get(little);
        byte[] big = new byte[n];
        for (int i = 0; i < n; i++) {
            big[i] = little[n - 1 - i];
        }
        BigInteger value = n == 0 ? BigInteger.ZERO : new BigInteger(big);
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private String line(int at) throws WeightFileException {
        int start = in.position();
        for (int i = start; i < in.limit() && i - start <= MAX_GLOBAL_NAME; i++) {
            if (in.get(i) == '\n') {
                String s = string(i - start, at);
                in.position(i + 1);
                return s;
            }
        }
        throw fail(at, "a GLOBAL name not ended by a newline within " + MAX_GLOBAL_NAME + " bytes");
    }

    // ---------------------------------------------------------------- stack and memo

    private void push(Object value) throws WeightFileException {
        if (stack.size() >= MAX_STACK) {
            throw fail(opcodeAt, "more than " + MAX_STACK + " values on the pickle's stack");
        }
        stack.add(value);
    }

    private Object pop(int at) throws WeightFileException {
        return popN(1, at).get(0);
    }

    private List<Object> popN(int n, int at) throws WeightFileException {
        if (stack.size() < n) {
            throw fail(at, "an opcode needs " + n + " values but the stack holds " + stack.size());
        }
        List<Object> top = stack.subList(stack.size() - n, stack.size());
        List<Object> out = new ArrayList<>(top);
        top.clear();
        if (out.contains(MARK)) {
            throw fail(at, "an opcode takes a MARK as a value");
        }
        return out;
    }

    private List<Object> popToMark(int at) throws WeightFileException {
        int mark = stack.lastIndexOf(MARK);
        if (mark < 0) {
            throw fail(at, "an opcode needs a MARK and there is none");
        }
        List<Object> top = stack.subList(mark + 1, stack.size());
        List<Object> out = new ArrayList<>(top);
        stack.subList(mark, stack.size()).clear();
        return out;
    }

    private Object top(int at) throws WeightFileException {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw fail(at, "an opcode needs a value on the stack and there is none");
        }
        return stack.get(stack.size() - 1);
    }

    private void memoize(long index, int at) throws WeightFileException {
        Object value = top(at);
        if (!memo.containsKey(index) && memo.size() >= MAX_MEMO) {
            throw fail(at, "more than " + MAX_MEMO + " memo entries");
        }
        memo.put(index, value);
    }

    private Object recall(long index, int at) throws WeightFileException {
        if (!memo.containsKey(index)) {
            throw fail(at, "memo entry " + index + " is read before it is written");
        }
        return memo.get(index);
    }

    // ---------------------------------------------------------------- containers

    private static PickleTuple tuple(List<Object> items) {
        return new PickleTuple(items);
    }

    @SuppressWarnings("unchecked")
    private void setItems(List<Object> pairs, int at) throws WeightFileException {
        if (pairs.size() % 2 != 0) {
            throw fail(at, "SETITEMS with an odd number of values (" + pairs.size() + ")");
        }
        if (!(top(at) instanceof LinkedHashMap<?, ?> target)) {
            throw fail(at, "SETITEM on " + describe(top(at)) + ", not on a dict");
        }
        Map<Object, Object> map = (Map<Object, Object>) target;
        for (int i = 0; i < pairs.size(); i += 2) {
            Object key = pairs.get(i);
            if (!(key == null || key instanceof String || key instanceof Long || key instanceof Boolean
                    || key instanceof Double || key instanceof BigInteger)) {
                throw fail(at, "a dict key that is " + describe(key) + " (keys must be strings or numbers)");
            }
            map.put(key, pairs.get(i + 1));
        }
    }

    @SuppressWarnings("unchecked")
    private void append(List<Object> items, int at) throws WeightFileException {
        if (!(top(at) instanceof ArrayList<?> target)) {
            throw fail(at, "APPEND on " + describe(top(at)) + ", not on a list");
        }
        ((List<Object>) target).addAll(items);
    }

    // ---------------------------------------------------------------- globals

    private PickleGlobal global(int at) throws WeightFileException {
        String module = line(at);
        String name = line(at);
        PickleGlobal g = new PickleGlobal(module, name);
        if (!CALLABLE.contains(g) && StorageType.byGlobal(module, name).isEmpty()) {
            throw fail(at, "refused the global " + g + ": a PyTorch weight file only names tensors, storages and"
                    + " OrderedDict, and Vista never runs what a file names (is this file from a trusted source?)");
        }
        return g;
    }

    private void reduce(int at) throws WeightFileException {
        List<Object> two = popN(2, at);
        if (!(two.get(0) instanceof PickleGlobal g) || !CALLABLE.contains(g)) {
            throw fail(at, "REDUCE on " + describe(two.get(0)) + ", which is not a function Vista interprets");
        }
        if (!(two.get(1) instanceof PickleTuple args)) {
            throw fail(at, "REDUCE of " + g + " with arguments that are " + describe(two.get(1)) + ", not a tuple");
        }
        if (g.equals(ORDERED_DICT)) {
            if (args.size() != 0) {
                throw fail(at, "collections.OrderedDict called with arguments (only OrderedDict() is accepted)");
            }
            push(new LinkedHashMap<Object, Object>());
        } else if (g.equals(REBUILD_TENSOR)) {
            push(rebuildTensor(args, at));
        } else {
            int expected = g.equals(REBUILD_PARAMETER) ? 3 : 4;
            if (args.size() != expected || !(args.get(0) instanceof TensorRef t)) {
                throw fail(at, g + " expects " + expected + " arguments, the first a tensor");
            }
            push(t);
        }
    }

    private TensorRef rebuildTensor(PickleTuple args, int at) throws WeightFileException {
        if (args.size() < 6 || args.size() > 7 || !(args.get(0) instanceof StorageRef storage)
                || !(args.get(1) instanceof Long offset)) {
            throw fail(at, "torch._utils._rebuild_tensor_v2 expects (storage, offset, size, stride, requires_grad,"
                    + " hooks[, metadata]), got " + args.size() + " arguments");
        }
        long[] size = longs(args.get(2), "size", at);
        long[] stride = longs(args.get(3), "stride", at);
        if (size.length != stride.length) {
            throw fail(at, "a tensor with " + size.length + " dimensions but " + stride.length + " strides");
        }
        return new TensorRef(storage, offset, size, stride);
    }

    private long[] longs(Object value, String what, int at) throws WeightFileException {
        if (!(value instanceof PickleTuple t)) {
            throw fail(at, "a tensor's " + what + " that is " + describe(value) + ", not a tuple");
        }
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(t.get(i) instanceof Long v)) {
                throw fail(at, "a tensor's " + what + " holding " + describe(t.get(i)) + ", not an integer");
            }
            out[i] = v;
        }
        return out;
    }

    private void build(int at) throws WeightFileException {
        Object state = pop(at);
        Object target = top(at);
        boolean empty = state == null || state instanceof Map<?, ?> m && m.isEmpty();
        boolean dictAttributes = target instanceof LinkedHashMap<?, ?> && state instanceof Map<?, ?>;
        if (!empty && !dictAttributes || !(target instanceof TensorRef || target instanceof LinkedHashMap<?, ?>)) {
            throw fail(at, "BUILD (setting object state) on " + describe(target) + " is not interpreted");
        }
    }

    private StorageRef persistent(Object id, int at) throws WeightFileException {
        if (!(id instanceof PickleTuple t) || t.size() < 5 || t.size() > 6 || !"storage".equals(t.get(0))
                || !(t.get(1) instanceof PickleGlobal type) || !(t.get(2) instanceof String key)
                || !(t.get(3) instanceof String location) || !(t.get(4) instanceof Long elements)) {
            throw fail(at, "a persistent id that is not ('storage', storage class, key, location, count): "
                    + describe(id));
        }
        if (t.size() == 6 && t.get(5) != null) {
            throw fail(at, "storage '" + key + "' is a legacy storage view, which Vista does not read");
        }
        Optional<StorageType> st = StorageType.byGlobal(type.module(), type.name());
        if (st.isEmpty()) {
            throw fail(at, "storage '" + key + "' has the class " + type + ", not a storage class");
        }
        if (elements < 0) {
            throw fail(at, "storage '" + key + "' claims " + elements + " elements");
        }
        StorageRef ref = new StorageRef(key, st.get(), location, elements);
        StorageRef earlier = storages.putIfAbsent(key, ref);
        if (earlier != null && (earlier.type() != ref.type() || earlier.elements() != ref.elements())) {
            throw fail(at, "storage '" + key + "' is named twice with different types or sizes");
        }
        return earlier != null ? earlier : ref;
    }

    // ---------------------------------------------------------------- errors

    private static String describe(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof String || value instanceof Long || value instanceof Boolean || value instanceof Double
                || value instanceof PickleGlobal) {
            return "'" + value + "'";
        }
        return switch (value) {
            case Map<?, ?> m -> "a dict";
            case List<?> l -> "a list";
            case PickleTuple t -> "a tuple of " + t.size();
            case StorageRef s -> "a storage";
            case TensorRef t -> "a tensor";
            default -> value == MARK ? "a MARK" : "a " + value.getClass().getSimpleName();
        };
    }

    private WeightFileException fail(int at, String problem) {
        return new WeightFileException(where, "pickle byte " + at + ": " + problem);
    }
}

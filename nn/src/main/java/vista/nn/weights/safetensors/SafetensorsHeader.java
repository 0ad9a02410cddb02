package vista.nn.weights.safetensors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checked header of a safetensors file: the JSON object after the length field, which maps each
 * tensor's name to {@code {"dtype": T, "shape": [d0, d1, ...], "data_offsets": [begin, end]}} and may
 * hold {@code "__metadata__": {string: string}}. Offsets count bytes from the start of the data section
 * (just after the header), {@code end} excluded.
 *
 * <p>Checked here, before one byte of tensor data is read or allocated: the dtype is one Vista reads;
 * every dimension is an integer {@code >= 0}; the element count fits a Vista tensor (at most
 * {@link Integer#MAX_VALUE}, computed without overflow); {@code end - begin} is exactly the element count
 * times the element size; and, as the format's specification requires, the tensors' byte ranges, in
 * order of offset, tile the data section exactly, without gap, overlap or bytes left over. An entry with
 * any other field is refused too (strict: a field Vista does not know might change the meaning).
 */
final class SafetensorsHeader {
    /** The key of the free-form string map in the header. */
    static final String METADATA = "__metadata__";

    /**
     * One tensor's entry.
     *
     * @param name  its name
     * @param dtype its element type
     * @param shape its dimensions
     * @param numel its element count
     * @param begin its first byte in the data section
     * @param end   one past its last byte
     */
    record Entry(String name, SafetensorsDType dtype, int[] shape, int numel, long begin, long end) {
    }

    private final List<Entry> entries;
    private final Map<String, String> metadata;

    private SafetensorsHeader(List<Entry> entries, Map<String, String> metadata) {
        this.entries = entries;
        this.metadata = metadata;
    }

    /** The entries in the header's order. */
    List<Entry> entries() {
        return entries;
    }

    /** The metadata, in the header's order. */
    Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Checks the parsed header {@code json} of {@code file}, whose data section holds {@code dataBytes}.
     *
     * @throws SafetensorsException naming the file, the tensor and what is wrong
     */
    static SafetensorsHeader check(Path file, Object json, long dataBytes) throws SafetensorsException {
        if (!(json instanceof Map<?, ?> top)) {
            throw new SafetensorsException(file, "the header is JSON but not an object of tensors"
                    + " (it is " + kind(json) + "); this is not a safetensors file");
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> member : top.entrySet()) {
            String name = (String) member.getKey();
            if (name.equals(METADATA)) {
                metadata = metadata(file, member.getValue());
            } else {
                entries.add(entry(file, name, member.getValue()));
            }
        }
        checkTiling(file, entries, dataBytes);
        return new SafetensorsHeader(entries, metadata);
    }

    private static Map<String, String> metadata(Path file, Object json) throws SafetensorsException {
        if (!(json instanceof Map<?, ?> map)) {
            throw new SafetensorsException(file, "the header's " + METADATA + " is " + kind(json)
                    + "; it must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String value)) {
                throw new SafetensorsException(file, "the header's " + METADATA + " entry \"" + e.getKey()
                        + "\" is " + kind(e.getValue()) + "; metadata values must be strings");
            }
            out.put((String) e.getKey(), value);
        }
        return out;
    }

    private static Entry entry(Path file, String name, Object json) throws SafetensorsException {
        String where = "tensor \"" + name + "\": ";
        if (!(json instanceof Map<?, ?> fields)) {
            throw new SafetensorsException(file, where + "its entry is " + kind(json)
                    + "; expected an object with dtype, shape and data_offsets");
        }
        for (Object key : fields.keySet()) {
            if (!List.of("dtype", "shape", "data_offsets").contains(key)) {
                throw new SafetensorsException(file, where + "unknown field \"" + key
                        + "\"; an entry has only dtype, shape and data_offsets");
            }
        }
        if (!(fields.get("dtype") instanceof String dtypeName)) {
            throw new SafetensorsException(file, where + "dtype is " + kind(fields.get("dtype"))
                    + "; expected a string such as \"F32\"");
        }
        SafetensorsDType dtype = SafetensorsDType.named(dtypeName).orElseThrow(() -> new SafetensorsException(
                file, where + "dtype " + dtypeName + " is not one Vista reads (it reads "
                        + SafetensorsDType.supported() + "); convert the tensor, e.g. to F32, before loading"));
        long[] shape = integers(file, where, "shape", fields.get("shape"), -1);
        long[] offsets = integers(file, where, "data_offsets", fields.get("data_offsets"), 2);
        int[] dims = new int[shape.length];
        long numel = 1;
        for (int a = 0; a < shape.length; a++) {
            if (shape[a] < 0 || shape[a] > Integer.MAX_VALUE) {
                throw new SafetensorsException(file, where + "dimension " + a + " of shape " + show(shape)
                        + " is " + shape[a] + "; dimensions are integers from 0 to " + Integer.MAX_VALUE);
            }
            dims[a] = (int) shape[a];
            numel *= shape[a];
            if (numel > Integer.MAX_VALUE) {
                throw new SafetensorsException(file, where + "shape " + show(shape) + " has more than "
                        + Integer.MAX_VALUE + " elements, more than a Vista tensor holds");
            }
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin < 0 || end < begin) {
            throw new SafetensorsException(file, where + "data_offsets " + show(offsets)
                    + " are not a byte range (expected 0 <= begin <= end)");
        }
        long expected = numel * dtype.bytes();
        if (end - begin != expected) {
            throw new SafetensorsException(file, where + "data_offsets " + show(offsets) + " span "
                    + (end - begin) + " bytes, but shape " + show(shape) + " of " + dtype + " needs " + numel
                    + " x " + dtype.bytes() + " = " + expected + " bytes");
        }
        return new Entry(name, dtype, dims, (int) numel, begin, end);
    }

    /** The tensors' byte ranges, sorted by offset, must cover [0, dataBytes) exactly. */
    private static void checkTiling(Path file, List<Entry> entries, long dataBytes) throws SafetensorsException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long next = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.end() > dataBytes) {
                throw new SafetensorsException(file, "tensor \"" + e.name() + "\": data_offsets ["
                        + e.begin() + ", " + e.end() + "] end past the data section, which has " + dataBytes
                        + " bytes; the file is truncated or its header is wrong");
            }
            if (e.begin() != next) {
                String what = e.begin() < next
                        ? "overlap the bytes of tensor \"" + previous.name() + "\" [" + previous.begin() + ", "
                                + previous.end() + "]"
                        : "leave the bytes [" + next + ", " + e.begin() + ") of the data section to no tensor";
                throw new SafetensorsException(file, "tensor \"" + e.name() + "\": data_offsets [" + e.begin()
                        + ", " + e.end() + "] " + what + "; the format requires the tensors to tile the data"
                        + " section exactly");
            }
            next = e.end();
            previous = e;
        }
        if (next != dataBytes) {
            throw new SafetensorsException(file, "the data section has " + dataBytes + " bytes, but the tensors"
                    + " cover only the first " + next + "; the file has bytes after its last tensor");
        }
    }

    /** The integers of a JSON array, {@code length} of them if {@code length >= 0}. */
    private static long[] integers(Path file, String where, String field, Object json, int length)
            throws SafetensorsException {
        String wanted = length < 0 ? "an array of integers" : "an array of " + length + " integers";
        if (!(json instanceof List<?> list) || (length >= 0 && list.size() != length)) {
            throw new SafetensorsException(file, where + field + " is " + kind(json) + "; expected " + wanted);
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long v)) {
                throw new SafetensorsException(file, where + field + " holds " + kind(list.get(i))
                        + "; expected " + wanted);
            }
            out[i] = v;
        }
        return out;
    }

    private static String show(long[] values) {
        return Arrays.toString(values);
    }

    /** What a JSON value is, in words. */
    private static String kind(Object json) {
        if (json == null) {
            return "missing";
        }
        if (json instanceof Map<?, ?>) {
            return "an object";
        }
        if (json instanceof List<?> list) {
            return "an array of " + list.size();
        }
        if (json instanceof String s) {
            return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        return "the value " + json;
    }
}

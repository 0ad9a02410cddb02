package vista.tensor.fuzz;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A length, count, dimension or other integer field of a binary format: its name (for failure messages),
 * where it sits in the unencoded file, its width in bytes and its byte order. A {@link FuzzCampaign} sets
 * every field to each of its {@link #extremes}, the values that break careless readers.
 *
 * @param name   e.g. "image count"
 * @param offset its first byte
 * @param width  1, 2, 4 or 8 bytes
 * @param order  its byte order (irrelevant for one byte)
 */
public record Field(String name, int offset, int width, ByteOrder order) {
    /** Values every field is set to, cut to its width: zero, one, all bits set, the signed and unsigned limits. */
    private static final long[] EXTREMES = {0, 1, 2, -1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x1_0000,
        0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 0x1_0000_0000L, 1_000_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE};

    public Field {
        if (width != 1 && width != 2 && width != 4 && width != 8) {
            throw new IllegalArgumentException("Field " + name + ": width must be 1, 2, 4 or 8 bytes, got " + width);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("Field " + name + ": offset must be >= 0, got " + offset);
        }
    }

    /** A big-endian int32 field. */
    public static Field int32BigEndian(String name, int offset) {
        return new Field(name, offset, 4, ByteOrder.BIG_ENDIAN);
    }

    /** A little-endian int32 field. */
    public static Field int32LittleEndian(String name, int offset) {
        return new Field(name, offset, 4, ByteOrder.LITTLE_ENDIAN);
    }

    /** A single byte. */
    public static Field uint8(String name, int offset) {
        return new Field(name, offset, 1, ByteOrder.BIG_ENDIAN);
    }

    /**
     * The values to try in this field of {@code original}: {@link #EXTREMES} and the original value plus
     * and minus one (the off-by-one lengths), each cut to the field's width, without repeats.
     */
    public List<Long> extremes(byte[] original) {
        Set<Long> values = new LinkedHashSet<>();
        for (long v : EXTREMES) {
            values.add(v & mask());
        }
        long current = read(original);
        values.add((current + 1) & mask());
        values.add((current - 1) & mask());
        values.remove(current);
        return new ArrayList<>(values);
    }

    /** This field's value in {@code bytes}, as an unsigned number of {@link #width} bytes. */
    public long read(byte[] bytes) {
        long v = 0;
        for (int i = 0; i < width; i++) {
            int b = bytes[offset + (order == ByteOrder.BIG_ENDIAN ? i : width - 1 - i)] & 0xFF;
            v = v << 8 | b;
        }
        return v;
    }

    /** Writes the low {@link #width} bytes of {@code value} into {@code bytes} at {@link #offset}. */
    public void write(byte[] bytes, long value) {
        for (int i = 0; i < width; i++) {
            byte b = (byte) (value >>> 8 * (width - 1 - i));
            bytes[offset + (order == ByteOrder.BIG_ENDIAN ? i : width - 1 - i)] = b;
        }
    }

    private long mask() {
        return width == 8 ? -1L : (1L << 8 * width) - 1;
    }

    @Override
    public String toString() {
        return name + " (" + width + " byte" + (width == 1 ? "" : "s") + " at offset " + offset
                + (width == 1 ? "" : order == ByteOrder.BIG_ENDIAN ? ", big-endian" : ", little-endian") + ")";
    }
}

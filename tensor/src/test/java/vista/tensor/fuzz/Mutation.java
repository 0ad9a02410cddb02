package vista.tensor.fuzz;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import vista.tensor.Rng;

/**
 * One reproducible change to a file's bytes, with a description that says exactly what it does
 * ("flip bit 3 of byte 17", "set image count (4 bytes at offset 4, big-endian) to 0xFFFFFFFF"), so that
 * a failure report can be read and the input rebuilt by hand.
 *
 * @param description what the change does
 * @param change      the change; it may modify and return its argument, or return a new array
 */
public record Mutation(String description, UnaryOperator<byte[]> change) {
    /** The mutated copy of {@code bytes}; {@code bytes} itself is left as it was. */
    public byte[] applyTo(byte[] bytes) {
        return change.apply(bytes.clone());
    }

    /** No change: the file as it is. */
    public static Mutation none() {
        return new Mutation("no change", b -> b);
    }

    /** Keeps the first {@code length} bytes. */
    public static Mutation truncate(int length) {
        return new Mutation("truncate to " + length + " bytes", b -> Arrays.copyOf(b, Math.min(length, b.length)));
    }

    /** Appends {@code count} copies of {@code value}. */
    public static Mutation append(int count, int value) {
        return new Mutation(String.format("append %d %s 0x%02X", count, count == 1 ? "byte" : "bytes", value & 0xFF), b -> {
            byte[] longer = Arrays.copyOf(b, b.length + count);
            Arrays.fill(longer, b.length, longer.length, (byte) value);
            return longer;
        });
    }

    /** Flips bit {@code bit % 8} of byte {@code bit / 8} (bits beyond the end are ignored). */
    public static Mutation flipBit(long bit) {
        return new Mutation("flip bit " + bit % 8 + " of byte " + bit / 8, b -> {
            if (bit / 8 < b.length) {
                b[(int) (bit / 8)] ^= (byte) (1 << bit % 8);
            }
            return b;
        });
    }

    /** Overwrites the bytes from {@code offset} with {@code run} (cut at the end of the file). */
    public static Mutation overwrite(int offset, byte[] run) {
        byte[] copy = run.clone();
        return new Mutation("overwrite " + copy.length + (copy.length == 1 ? " byte" : " bytes") + " at offset "
                + offset + " with " + HexFormat.of().formatHex(copy), b -> {
                    for (int i = 0; i < copy.length && offset + i < b.length; i++) {
                        b[offset + i] = copy[i];
                    }
                    return b;
                });
    }

    /** Sets {@code field} to {@code value} (cut to its width); no change if the file is too short. */
    public static Mutation set(Field field, long value) {
        return new Mutation(String.format("set %s to 0x%X", field, value), b -> {
            if (field.offset() + field.width() <= b.length) {
                field.write(b, value);
            }
            return b;
        });
    }

    /** This change, then {@code next}. */
    public Mutation then(Mutation next) {
        return new Mutation(description + ", then " + next.description, b -> next.change.apply(change.apply(b)));
    }

    /**
     * A random change to {@code original}, drawn from {@code rng}: a few bit flips, a run of bytes
     * overwritten (random, zeros or ones), a field or a random 4-byte word set to an extreme, a
     * truncation, or two of these in a row.
     */
    public static Mutation random(Rng rng, byte[] original, List<Field> fields) {
        return switch (rng.nextInt(6)) {
            case 0 -> randomBitFlips(rng, original.length);
            case 1 -> randomRun(rng, original.length);
            case 2 -> randomField(rng, original, fields);
            case 3 -> truncate(rng.nextInt(Math.max(1, original.length)));
            default -> randomSingle(rng, original, fields).then(randomSingle(rng, original, fields));
        };
    }

    private static Mutation randomSingle(Rng rng, byte[] original, List<Field> fields) {
        return switch (rng.nextInt(3)) {
            case 0 -> randomBitFlips(rng, original.length);
            case 1 -> randomRun(rng, original.length);
            default -> randomField(rng, original, fields);
        };
    }

    private static Mutation randomBitFlips(Rng rng, int length) {
        Mutation m = flipBit(randomBit(rng, length));
        for (int flips = rng.nextInt(8); flips > 0; flips--) {
            m = m.then(flipBit(randomBit(rng, length)));
        }
        return m;
    }

    private static long randomBit(Rng rng, int length) {
        return (long) rng.nextInt(Math.max(1, length)) * 8 + rng.nextInt(8);
    }

    private static Mutation randomRun(Rng rng, int length) {
        byte[] run = new byte[1 + rng.nextInt(16)];
        int fill = rng.nextInt(3);
        for (int i = 0; i < run.length; i++) {
            run[i] = (byte) (fill == 0 ? 0 : fill == 1 ? 0xFF : rng.nextInt(256));
        }
        return overwrite(rng.nextInt(Math.max(1, length)), run);
    }

    private static Mutation randomField(Rng rng, byte[] original, List<Field> fields) {
        if (original.length < 4 && fields.isEmpty()) {
            return randomBitFlips(rng, original.length);
        }
        boolean word = original.length >= 4 && (fields.isEmpty() || rng.nextInt(4) == 0);
        Field field = word
                ? Field.int32BigEndian("the 4 bytes", rng.nextInt(original.length - 3))
                : fields.get(rng.nextInt(fields.size()));
        List<Long> values = field.extremes(original);
        return set(field, values.get(rng.nextInt(values.size())));
    }

    @Override
    public String toString() {
        return description;
    }
}

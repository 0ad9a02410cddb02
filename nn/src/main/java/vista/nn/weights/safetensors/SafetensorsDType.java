package vista.nn.weights.safetensors;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import vista.tensor.DType;

/**
 * The element types of safetensors that Vista reads, each little-endian, and how each becomes a Vista
 * tensor's value:
 * <ul>
 *   <li>{@code F32} is stored as is ({@link DType#FLOAT32}); {@code F64} too ({@link DType#FLOAT64});</li>
 *   <li>{@code F16} (IEEE binary16: 1 sign, 5 exponent, 10 fraction bits) and {@code BF16} (bfloat16: the
 *       upper 16 bits of a float32) are widened to float32, exactly: every such value, subnormals,
 *       infinities and NaN included, is a float32 ({@link Float#float16ToFloat}; bfloat16 by a shift);</li>
 *   <li>the integer types {@code I64}, {@code I32}, {@code U8} and {@code BOOL} (one byte, 0 or 1), which
 *       hold counters such as BatchNorm's {@code num_batches_tracked}, become float64, exact for
 *       |v| &lt;= 2<sup>53</sup>; an {@code I64} beyond that, or a {@code BOOL} byte other than 0 and 1,
 *       is refused.</li>
 * </ul>
 * The other types of the format (I8, I16, U16, U32, U64, the float8 types) are refused by name.
 */
enum SafetensorsDType {
    F32(4, DType.FLOAT32),
    F64(8, DType.FLOAT64),
    F16(2, DType.FLOAT32),
    BF16(2, DType.FLOAT32),
    I64(8, DType.FLOAT64),
    I32(4, DType.FLOAT64),
    U8(1, DType.FLOAT64),
    BOOL(1, DType.FLOAT64);

    /** The largest integer up to which every integer is a double. */
    private static final long EXACT_IN_DOUBLE = 1L << 53;

    private final int bytes;
    private final DType widened;

    SafetensorsDType(int bytes, DType widened) {
        this.bytes = bytes;
        this.widened = widened;
    }

    /** The type named {@code name} in a header ("F32", ...), if Vista reads it. */
    static Optional<SafetensorsDType> named(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst();
    }

    /** The names of the types Vista reads, for error messages. */
    static String supported() {
        return String.join(", ", Arrays.stream(values()).map(Enum::name).toList());
    }

    /** Bytes per element. */
    int bytes() {
        return bytes;
    }

    /** The Vista type that holds its values. */
    DType widened() {
        return widened;
    }

    /**
     * Decodes {@code count} little-endian elements from {@code in} into {@code out} from {@code at}: a
     * {@code float[]} if {@link #widened} is float32, else a {@code double[]}.
     *
     * @return null, or what is wrong with the value that cannot be represented exactly
     */
    String decode(ByteBuffer in, int count, Object out, int at) {
        switch (this) {
            case F32 -> in.asFloatBuffer().get((float[]) out, at, count);
            case F64 -> in.asDoubleBuffer().get((double[]) out, at, count);
            case F16 -> {
                float[] f = (float[]) out;
                for (int i = 0; i < count; i++) {
                    f[at + i] = Float.float16ToFloat(in.getShort(2 * i));
                }
            }
            case BF16 -> {
                float[] f = (float[]) out;
                for (int i = 0; i < count; i++) {
                    f[at + i] = Float.intBitsToFloat((in.getShort(2 * i) & 0xFFFF) << 16);
                }
            }
            case I64 -> {
                double[] d = (double[]) out;
                for (int i = 0; i < count; i++) {
                    long v = in.getLong(8 * i);
                    if (v > EXACT_IN_DOUBLE || v < -EXACT_IN_DOUBLE) {
                        return "element " + (at + i) + " is " + v + ", beyond 2^53 in magnitude, where a float64"
                                + " (Vista's widest type) no longer holds every integer";
                    }
                    d[at + i] = v;
                }
            }
            case I32 -> {
                double[] d = (double[]) out;
                for (int i = 0; i < count; i++) {
                    d[at + i] = in.getInt(4 * i);
                }
            }
            case U8 -> {
                double[] d = (double[]) out;
                for (int i = 0; i < count; i++) {
                    d[at + i] = in.get(i) & 0xFF;
                }
            }
            case BOOL -> {
                double[] d = (double[]) out;
                for (int i = 0; i < count; i++) {
                    int b = in.get(i) & 0xFF;
                    if (b > 1) {
                        return "element " + (at + i) + " is the byte " + b + ", not a boolean (0 or 1)";
                    }
                    d[at + i] = b;
                }
            }
        }
        return null;
    }
}

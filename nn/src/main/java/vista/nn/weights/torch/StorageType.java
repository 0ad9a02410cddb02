package vista.nn.weights.torch;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The element types of PyTorch storages, by the storage class a pickle names ({@code torch.FloatStorage},
 * or {@code torch.cuda.FloatStorage} for a storage saved on a GPU): bytes per element, and how one
 * little-endian element becomes a Java double. Every conversion is exact: float16 and bfloat16 widen
 * exactly, and int64 values are exact in a double up to 2^53 in magnitude (larger ones are refused by
 * {@link TensorMaterialiser}).
 */
public enum StorageType {
    FLOAT("FloatStorage", 4),
    DOUBLE("DoubleStorage", 8),
    HALF("HalfStorage", 2),
    BFLOAT16("BFloat16Storage", 2),
    LONG("LongStorage", 8),
    INT("IntStorage", 4),
    SHORT("ShortStorage", 2),
    CHAR("CharStorage", 1),
    BYTE("ByteStorage", 1),
    BOOL("BoolStorage", 1);

    private final String className;
    private final int bytes;

    StorageType(String className, int bytes) {
        this.className = className;
        this.bytes = bytes;
    }

    /** The type named by the global {@code module.name}, if it is a CPU or CUDA storage class. */
    static Optional<StorageType> byGlobal(String module, String name) {
        if (!module.equals("torch") && !module.equals("torch.cuda")) {
            return Optional.empty();
        }
        for (StorageType t : values()) {
            if (t.className.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Bytes per element. */
    int bytes() {
        return bytes;
    }

    /** The storage class's name without its module, e.g. {@code HalfStorage}. */
    String className() {
        return className;
    }

    /** Whether Vista keeps this type in float64 (float64, and integers wider than float32's 24 bits). */
    boolean widensToFloat64() {
        return this == DOUBLE || this == LONG || this == INT;
    }

    /** Element {@code index} of the little-endian {@code data}, exactly. */
    double get(ByteBuffer data, int index) {
        int at = index * bytes;
        return switch (this) {
            case FLOAT -> data.getFloat(at);
            case DOUBLE -> data.getDouble(at);
            case HALF -> Float.float16ToFloat(data.getShort(at));
            case BFLOAT16 -> Float.intBitsToFloat((data.getShort(at) & 0xFFFF) << 16);
            case LONG -> data.getLong(at);
            case INT -> data.getInt(at);
            case SHORT -> data.getShort(at);
            case CHAR -> data.get(at);
            case BYTE -> data.get(at) & 0xFF;
            case BOOL -> data.get(at) == 0 ? 0 : 1;
        };
    }
}

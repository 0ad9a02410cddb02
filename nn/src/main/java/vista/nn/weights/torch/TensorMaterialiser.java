package vista.nn.weights.torch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Storage;
import vista.tensor.Tensor;

/**
 * Turns a {@link TensorRef} and its storage's bytes into a contiguous Vista tensor, element
 * {@code (i_0, ..., i_{n-1})} being storage element {@code offset + sum_k i_k * stride_k}.
 *
 * <p>Before reading anything it checks that every size and stride is non-negative, that the element
 * count fits an int and is no larger than the storage, and that the furthest element,
 * {@code offset + sum_k (size_k - 1) * stride_k}, lies inside the storage (with overflow refused).
 *
 * <p>Element types: float32, float16, bfloat16 and the small integer types become float32 tensors;
 * float64, int32 and int64 become float64 tensors (Vista's two types), every value exactly; an int64
 * beyond 2^53 in magnitude, which a double cannot hold exactly, is refused.
 */
final class TensorMaterialiser {
    private static final long EXACT_LIMIT = 1L << 53;

    private TensorMaterialiser() {
    }

    /**
     * The tensor {@code ref} describes, read from {@code storage}, whose length the caller has checked to
     * be {@code ref.storage().elements()} elements.
     */
    static Tensor materialise(String where, String name, TensorRef ref, ByteBuffer storage)
            throws WeightFileException {
        long[] size = ref.size();
        long[] stride = ref.stride();
        long available = ref.storage().elements();
        long numel = 1;
        long furthest = ref.offset();
        try {
            if (ref.offset() < 0) {
                throw new ArithmeticException();
            }
            for (int k = 0; k < size.length; k++) {
                if (size[k] < 0 || stride[k] < 0 || size[k] > Integer.MAX_VALUE) {
                    throw fail(where, name, ref, "a negative or huge size or stride");
                }
                numel = Math.multiplyExact(numel, size[k]);
                if (size[k] > 0) {
                    furthest = Math.addExact(furthest, Math.multiplyExact(size[k] - 1, stride[k]));
                }
            }
        } catch (ArithmeticException e) {
            throw fail(where, name, ref, "its offset, sizes and strides overflow");
        }
        if (numel > available) {
            throw fail(where, name, ref, "it has " + numel + " elements but its storage holds " + available);
        }
        if (numel > 0 && furthest >= available) {
            throw fail(where, name, ref, "it reaches element " + furthest + " but its storage holds " + available);
        }
        StorageType type = ref.storage().type();
        DType dtype = type.widensToFloat64() ? DType.FLOAT64 : DType.FLOAT32;
        int[] dims = new int[size.length];
        for (int k = 0; k < dims.length; k++) {
            dims[k] = (int) size[k];
        }
        Tensor result = Tensor.zeros(dtype, Shape.of(dims));
        Storage out = result.storage();
        ByteBuffer data = storage.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int[] index = new int[dims.length];
        for (int i = 0; i < numel; i++) {
            long at = ref.offset();
            for (int k = 0; k < dims.length; k++) {
                at += index[k] * stride[k];
            }
            if (type == StorageType.LONG) {
                long exact = data.getLong((int) at * Long.BYTES);
                if (exact > EXACT_LIMIT || exact < -EXACT_LIMIT) {
                    throw fail(where, name, ref, "its value " + exact + " is beyond 2^53, not exact in float64");
                }
            }
            double value = type.get(data, (int) at);
            out.set(i, value);
            for (int k = dims.length - 1; k >= 0 && ++index[k] == dims[k]; k--) {
                index[k] = 0;
            }
        }
        return result;
    }

    private static WeightFileException fail(String where, String name, TensorRef ref, String problem) {
        return new WeightFileException(where, "'" + name + "' is a " + ref + " that does not fit: " + problem);
    }
}

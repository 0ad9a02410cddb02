package vista.nn.weights.torch;

import java.util.Arrays;

/**
 * A tensor as {@code torch._utils._rebuild_tensor_v2} describes it: a view of a storage at an element
 * offset with a size and strides (in elements). It is only a description: {@link TensorMaterialiser}
 * checks it against the storage and copies the values into a contiguous Vista tensor.
 *
 * @param storage the storage it views
 * @param offset  the element offset of its first element
 * @param size    its dimensions
 * @param stride  the storage step of each dimension
 */
public record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
    /** A tensor description; the arrays are copied. */
    public TensorRef {
        size = size.clone();
        stride = stride.clone();
    }

    @Override
    public long[] size() {
        return size.clone();
    }

    @Override
    public long[] stride() {
        return stride.clone();
    }

    @Override
    public String toString() {
        return "tensor " + Arrays.toString(size) + " (stride " + Arrays.toString(stride) + ", offset " + offset
                + ") of " + storage.type().className() + " '" + storage.key() + "'";
    }
}

package vista.nn.weights.torch;

import java.nio.ByteBuffer;

/**
 * An open PyTorch weight file: the value its object pickle holds, and the bytes of each storage it names.
 */
interface TorchArchive extends AutoCloseable {
    /** The file (and entry) for error messages. */
    String where();

    /** The unpickled object: maps, lists, tuples, scalars and {@link TensorRef}s. */
    Object root();

    /**
     * The little-endian bytes of {@code storage}: exactly {@code elements * bytes per element} of them,
     * checked against the file before they are read.
     */
    ByteBuffer storage(StorageRef storage) throws WeightFileException;

    @Override
    void close() throws WeightFileException;
}

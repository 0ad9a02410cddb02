package vista.nn.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.Map;
import vista.nn.Module;
import vista.tensor.Tensor;

/**
 * A fingerprint of a model's weights: the SHA-256 of a state dict, as 64 lowercase hex digits.
 *
 * <p><b>What is hashed.</b> The tensors in the state dict's own order ({@link Module#stateDict()}:
 * a module's parameters, then its buffers, then its children, PyTorch's order, which depends only on
 * how the model is built), each encoded exactly as a {@link Checkpoint} stores it: the name (int32
 * byte count, UTF-8 bytes), the dtype (uint8: 1 float32, 2 float64), the rank (int32), the dims (int32
 * each), then every element in row-major order as little-endian IEEE-754 bits. So two state dicts have
 * the same digest exactly when they have the same names, shapes and raw bits (-0.0 and 0.0 differ, as do
 * NaNs of different payloads), and the digest of a checkpoint's model section can be recomputed from
 * the file by anyone who reads the format.
 */
public final class StateDigest {
    private StateDigest() {
    }

    /** The SHA-256 of {@code state} (see the class comment), in lowercase hex. */
    public static String sha256(Map<String, Tensor> state) {
        try {
            CheckpointWriter.Output out = new CheckpointWriter.Output(OutputStream.nullOutputStream());
            for (Map.Entry<String, Tensor> e : state.entrySet()) {
                CheckpointWriter.tensor(out, e.getKey(), e.getKey(), e.getValue());
            }
            return HexFormat.of().formatHex(out.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("a null output stream cannot fail", e);
        }
    }

    /** The SHA-256 of {@code model}'s state dict. */
    public static String sha256(Module model) {
        return sha256(model.stateDict());
    }
}

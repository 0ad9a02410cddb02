package vista.nn.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import vista.nn.Module;
import vista.nn.optim.Sgd;
import vista.tensor.Tensor;

/**
 * A training checkpoint: the run's configuration, its position (epoch and step), the state of its
 * random number generators, the model's state dict and the optimiser's state, in one binary file.
 *
 * <p><b>File format, version 1.</b> All integers and floats are little-endian; a <i>string</i> is an
 * int32 byte count n followed by n bytes of UTF-8.
 * <pre>
 *   magic        8 bytes     the ASCII characters "VISTACKP"
 *   version      int32       1
 *   config       int32 count, then count x (key string, value string)
 *   epoch        int64
 *   step         int64
 *   rng          int32 count, then count x (name string, value int64)     seeds and generator states
 *   model        section     the model's state dict
 *   optimizer    section     the optimiser's state (e.g. SGD velocities by parameter name)
 *   checksum     32 bytes    SHA-256 of every byte before it
 *
 *   section      name string ("model" or "optimizer"), int32 count, then count x tensor
 *   tensor       name string, dtype uint8 (1 = float32, 2 = float64), rank int32 (0 to 8),
 *                rank x int32 dims, then the product of dims elements in row-major order
 *                (IEEE-754 float32 or float64)
 * </pre>
 * Maps keep their order (config, rng and both sections are written and read back in insertion order).
 *
 * <p><b>Writing is atomic</b> ({@link #write}, through {@link AtomicFiles}): the bytes go to a new
 * temporary file of a random name in the target's directory, which is forced to disk and then renamed
 * over the target in one step, so a crash or an I/O error leaves either the old file or the new one,
 * never a mixture, and a symbolic link at either name is never written through. <b>Reading verifies</b>
 * ({@link #read}) the magic, the version and the checksum before it interprets anything, and names the
 * file, and for a malformed structure the offset and what was expected, in its errors.
 *
 * <p>A checkpoint holds the maps it was given, not copies: the tensors are written as they are when
 * {@link #write} runs.
 */
public final class Checkpoint {
    /** The first 8 bytes of every checkpoint file. */
    public static final String MAGIC = "VISTACKP";
    /** The format version this class writes and reads. */
    public static final int VERSION = 1;

    private final Map<String, String> config;
    private final long epoch;
    private final long step;
    private final Map<String, Long> rng;
    private final Map<String, Tensor> model;
    private final Map<String, Tensor> optimizer;

    /**
     * A checkpoint of the given parts (maps in their iteration order).
     *
     * @param config   the run's settings as key/value strings
     * @param epoch    the epoch reached
     * @param step     the optimiser steps taken
     * @param rng      seeds and generator states by name
     * @param model    the model's state dict ({@link Module#stateDict()})
     * @param optimizer the optimiser's state ({@link Sgd#stateDict()})
     */
    public Checkpoint(Map<String, String> config, long epoch, long step, Map<String, Long> rng,
                      Map<String, Tensor> model, Map<String, Tensor> optimizer) {
        this.config = ordered(config, "config");
        this.epoch = epoch;
        this.step = step;
        this.rng = ordered(rng, "rng");
        this.model = ordered(model, "model");
        this.optimizer = ordered(optimizer, "optimizer");
    }

    private static <V> Map<String, V> ordered(Map<String, V> map, String what) {
        Objects.requireNonNull(map, () -> "Checkpoint: " + what + " must not be null (use an empty map)");
        map.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalArgumentException("Checkpoint: " + what + " has a null name or value (name " + k + ")");
            }
        });
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** Writes this checkpoint to {@code file} atomically (see the class comment), replacing any old file. */
    public void write(Path file) throws IOException {
        CheckpointWriter.write(this, file, stream -> stream);
    }

    /**
     * Reads and verifies a checkpoint.
     *
     * @throws IOException naming the file if it cannot be read, is not a Vista checkpoint, has another
     *     format version, is corrupt or truncated (checksum mismatch), or is malformed (a count or size
     *     that its bytes do not hold, an epoch outside 0 to 2^31 - 1, a negative step, a name used twice
     *     in one map, a string that is not UTF-8)
     */
    public static Checkpoint read(Path file) throws IOException {
        return CheckpointReader.read(file);
    }

    /**
     * Loads the model state into {@code module} and the optimiser state into {@code sgd}; both verify
     * names and shapes and change nothing on a mismatch.
     */
    public void restore(Module module, Sgd sgd) {
        module.loadStateDict(model);
        sgd.loadStateDict(optimizer);
    }

    public Map<String, String> config() {
        return config;
    }

    public long epoch() {
        return epoch;
    }

    public long step() {
        return step;
    }

    public Map<String, Long> rng() {
        return rng;
    }

    public Map<String, Tensor> model() {
        return model;
    }

    public Map<String, Tensor> optimizer() {
        return optimizer;
    }

    @Override
    public String toString() {
        return "Checkpoint(epoch " + epoch + ", step " + step + ", " + model.size() + " model tensors, "
                + optimizer.size() + " optimizer tensors)";
    }
}

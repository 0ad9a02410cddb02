package vista.models.app.train;

import java.io.IOException;
import java.nio.file.Path;
import vista.nn.Module;
import vista.nn.checkpoint.Checkpoint;

/**
 * A checkpoint written by {@code vista train}, read with what its configuration says: the run's
 * {@link TrainConfig} and the {@link DataFacts} of the data it was trained on, from which the model is
 * rebuilt. What {@code eval}, {@code predict} and {@code attention} start from.
 *
 * @param file       where it was read
 * @param checkpoint the checkpoint
 * @param config     the run's configuration
 * @param facts      the facts of the run's data
 */
public record RunCheckpoint(Path file, Checkpoint checkpoint, TrainConfig config, DataFacts facts) {
    /**
     * Reads {@code file}.
     *
     * @throws IOException naming the file if it cannot be read, or is a checkpoint but not of a training run
     *     (an imported one, or one whose configuration lacks an entry)
     */
    public static RunCheckpoint read(Path file) throws IOException {
        Checkpoint saved = Checkpoint.read(file);
        try {
            return new RunCheckpoint(file, saved, TrainConfig.fromMap(saved.config()),
                    DataFacts.fromMap(saved.config()));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not a checkpoint of vista train: " + e.getMessage(), e);
        }
    }

    /** The run's model with the checkpoint's weights and buffers. */
    public Module model() {
        Module model = config.createModel(facts);
        model.loadStateDict(checkpoint.model());
        return model;
    }
}

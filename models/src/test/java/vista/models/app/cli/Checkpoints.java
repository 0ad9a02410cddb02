package vista.models.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import vista.models.app.train.DataFacts;
import vista.models.app.train.TrainConfig;
import vista.models.zoo.ModelZoo;
import vista.nn.checkpoint.Checkpoint;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * Writes checkpoints in {@code vista train}'s format without training (an untrained model after "epoch 1"),
 * for quick tests of the commands that read them.
 */
final class Checkpoints {
    private Checkpoints() {
    }

    /**
     * Writes to {@code file} a checkpoint of a fresh {@code model} said to be trained on {@code data}, grey
     * {@code side x side} images in 10 classes, with its state dict passed through {@code change} first.
     */
    static Path write(Path file, String model, Path data, int side, UnaryOperator<Map<String, Tensor>> change)
            throws IOException {
        TrainConfig config = new TrainConfig(model, data.toString(), 1, 16, 0.1, 0.9, false, 5e-4, false, 0, "torch",
                "cosine", 0, 30, 0.1, true, 4, 0, 0, 0, "", false, "paper", 1);
        DataFacts facts = new DataFacts(1, side, side, 10, 64, 32, new float[] {0.5f}, new float[] {0.25f});
        Map<String, String> stored = new LinkedHashMap<>(config.toMap());
        stored.putAll(facts.toMap());
        Map<String, Tensor> state = new LinkedHashMap<>(ModelZoo.create(model,
                new ModelZoo.Request(1, 10, new Rng(config.seed()).split("init"))).stateDict());
        new Checkpoint(stored, 1, 4, Map.of("seed", config.seed()), change.apply(state), Map.of()).write(file);
        return file;
    }

    /** {@code state} with every value of the tensor {@code name} replaced by {@code value}. */
    static Map<String, Tensor> filled(Map<String, Tensor> state, String name, double value) {
        state.put(name, Tensor.full(value, state.get(name).dims()));
        return state;
    }
}

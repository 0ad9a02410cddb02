package vista.models.app.provenance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import vista.models.zoo.AttentionRecipe;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.checkpoint.Checkpoint;
import vista.nn.weights.WeightFiles;
import vista.nn.weights.WeightFormat;
import vista.tensor.Rng;

/**
 * The work of {@code vista import}: converts weights of a zoo model in any format {@link WeightFiles} reads
 * into a Vista checkpoint, after loading them into the model (so every entry is checked by name and
 * shape, and stored in the model's element type). The checkpoint's config records where they came from:
 * {@code model}, {@code in_channels}, {@code classes}, {@code imported_from} (the source's absolute path),
 * {@code imported_format} ({@link WeightFormat#description}) and {@code imported_sha256} (the SHA-256 of
 * the source file's bytes). Epoch and step are 0 and there is no optimiser state. Such a checkpoint is read
 * wherever a weight file is ({@code --weights}); it is not a run of {@code vista train} (it records no data).
 */
public final class WeightImport {
    private WeightImport() {
    }

    /**
     * Writes the weights of {@code source} for the zoo model {@code model} with {@code classes} outputs
     * (null: its data set's) to the checkpoint {@code out}, and returns the checkpoint written.
     *
     * @throws IOException naming the source if it cannot be read or does not fit the model, or naming
     *     {@code out} if it cannot be written (then it is unchanged)
     * @throws IllegalArgumentException if the model is unknown
     */
    public static Checkpoint write(Path source, String model, AttentionRecipe recipe, Integer classes, Path out)
            throws IOException {
        if (!ModelZoo.names().contains(model)) {
            throw new IllegalArgumentException("unknown model " + model + "; the models are " + ModelZoo.names());
        }
        WeightFormat format = WeightFormat.of(source);
        int channels = ModelZoo.defaultImage(model).dim(0);
        int numClasses = classes == null ? ModelZoo.defaultClasses(model) : classes;
        Module net = ModelZoo.create(model, new ModelZoo.Request(channels, numClasses, new Rng(0), recipe));
        WeightFiles.load(net, source);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("model", model);
        config.put("in_channels", Integer.toString(channels));
        config.put("classes", Integer.toString(numClasses));
        config.put("attention_recipe", recipe.label());
        config.put("imported_from", source.toAbsolutePath().normalize().toString());
        config.put("imported_format", format.description());
        config.put("imported_sha256", Digests.file(source));
        Checkpoint checkpoint = new Checkpoint(config, 0, 0, Map.of(), net.stateDict(), Map.of());
        checkpoint.write(out);
        return checkpoint;
    }
}

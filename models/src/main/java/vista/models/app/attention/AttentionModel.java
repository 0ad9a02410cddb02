package vista.models.app.attention;

import java.io.IOException;
import java.nio.file.Path;
import vista.data.Dataset;
import vista.data.Normalize;
import vista.models.app.train.DataFacts;
import vista.models.app.train.RunCheckpoint;
import vista.models.app.train.TrainConfig;
import vista.models.app.train.TrainingData;
import vista.models.zoo.AttentionRecipe;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.weights.WeightFiles;
import vista.tensor.Rng;

/**
 * The model {@code vista attention} looks into, with the test images it looks at and the normalisation
 * they get: from a checkpoint of {@code vista train} (its model, its data unless another is given, its
 * recorded normalisation), or from released weights of a zoo model ({@code --weights FILE --model M}: the
 * data's test split, normalised as {@code vista train} would normalise that data, as {@code vista eval
 * --weights} does).
 *
 * @param model     the network, with its weights, in any mode
 * @param name      the zoo model's name
 * @param test      the test split
 * @param normalize how an image is normalised before the model sees it
 */
public record AttentionModel(Module model, String name, Dataset test, Normalize normalize) {

    /**
     * Rebuilds the model of {@code checkpoint}; {@code data} is the data set, or null for the run's.
     *
     * @throws IOException if the checkpoint or the data cannot be read
     * @throws IllegalArgumentException if the data does not fit the model
     */
    public static AttentionModel fromCheckpoint(Path checkpoint, String data) throws IOException {
        RunCheckpoint run = RunCheckpoint.read(checkpoint);
        TrainConfig config = run.config();
        DataFacts facts = run.facts();
        Module model = run.model();
        Dataset test = TrainingData.loadTest(data == null ? config.data() : data, 0);
        String mismatch = facts.mismatch(test);
        if (mismatch != null) {
            throw new IllegalArgumentException(mismatch + "; look at data of the same kind (--data)");
        }
        return new AttentionModel(model, config.model(), test, facts.normalize());
    }

    /**
     * Builds zoo model {@code name} for {@code data}'s images and classes and loads the weights of
     * {@code weights} (any file {@link WeightFiles} reads) into it.
     *
     * @throws IOException if the weights or the data cannot be read, or the weights do not fit the model
     * @throws IllegalArgumentException if the model is unknown or cannot take the data's images
     */
    public static AttentionModel fromWeights(Path weights, String name, AttentionRecipe recipe, String data)
            throws IOException {
        if (!ModelZoo.names().contains(name)) {
            throw new IllegalArgumentException("unknown model " + name + "; the models are " + ModelZoo.names());
        }
        TrainingData loaded = TrainingData.load(data, 0, 0);
        Dataset test = loaded.test();
        String size = ModelZoo.inputSizeProblem(name, test.height(), test.width());
        if (size != null) {
            throw new IllegalArgumentException(test.name() + " has images of " + test.height() + " x " + test.width()
                    + " pixels, but " + size);
        }
        Module model = ModelZoo.create(name, new ModelZoo.Request(test.channels(), test.numClasses(), new Rng(0), recipe));
        WeightFiles.load(model, weights);
        return new AttentionModel(model, name, test, loaded.normalize());
    }
}

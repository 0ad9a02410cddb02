package vista.models.app.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import vista.data.Dataset;
import vista.models.zoo.AttentionRecipe;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.weights.WeightFiles;
import vista.tensor.Rng;
import vista.tensor.runtime.Parallel;

/**
 * The work of {@code vista eval --weights FILE --model M --data D}: evaluates released weights (any file
 * {@link WeightFiles} reads) without a Vista checkpoint. The zoo model {@code M} is built for the data's
 * channels and classes (or {@code --classes}, which must then be the data's), the file's state dict
 * replaces all of its weights, and the test images are normalised as {@code vista train} would normalise
 * them on this data ({@link TrainingData}: the training split's per-channel mean and standard deviation,
 * or ImageNet's for folders with {@code preprocess=imagenet}). The rest is {@link Evaluator}'s.
 */
public final class WeightsEvaluator {
    /** Images per forward pass when none is given: {@code vista train}'s default batch. */
    public static final int DEFAULT_BATCH = 128;

    private WeightsEvaluator() {
    }

    /**
     * Evaluates {@code model} with the weights of {@code weights} on the test split of {@code data} and
     * prints the results to {@code out}.
     *
     * @param classes the model's classes, or null for the data's
     * @param batch   images per forward pass, or 0 for {@value #DEFAULT_BATCH}
     * @param limit   evaluate only the first {@code limit} test images (0: all)
     * @param keepPredictions whether the result keeps each image's prediction ({@link Evaluation#predictions()})
     * @param fold    whether to evaluate the model's inference form (see {@link Evaluator#evaluate})
     * @throws IOException naming the file if the weights cannot be read, do not fit the model (by name) or
     *     hold a NaN or infinite value, or if the data cannot be read
     * @throws IllegalArgumentException if the model is unknown, cannot take the data's images, or
     *     {@code classes} is not the data's
     */
    public static Evaluation evaluate(Path weights, String model, AttentionRecipe recipe, Integer classes, String data, int batch, int limit,
            Progress.Mode progress, PrintWriter out, boolean keepPredictions, boolean fold) throws IOException {
        Progress display = new Progress(out, progress);
        if (!ModelZoo.names().contains(model)) {
            throw new IllegalArgumentException("unknown model " + model + "; the models are " + ModelZoo.names());
        }
        TrainingData.TestSplit loaded = TrainingData.forEvaluation(data, limit);
        Dataset test = loaded.test();
        if (classes != null && classes != test.numClasses()) {
            throw new IllegalArgumentException("--classes " + classes + " is not the " + test.numClasses()
                    + " classes of " + test.name() + "; evaluate on data with the model's classes, or leave out --classes");
        }
        String size = ModelZoo.inputSizeProblem(model, test.height(), test.width());
        if (size != null) {
            throw new IllegalArgumentException(test.name() + " has images of " + test.height() + " x " + test.width()
                    + " pixels, but " + size);
        }
        Module net = ModelZoo.create(model, new ModelZoo.Request(test.channels(), test.numClasses(), new Rng(0), recipe));
        WeightFiles.load(net, weights);
        String nonFinite = Evaluation.nonFiniteValue(net.stateDict());
        if (nonFinite != null) {
            throw new IOException(weights + " cannot be evaluated: its model's " + nonFinite + "; evaluate other"
                    + " weights.");
        }
        display.line(String.format(Locale.ROOT, "Evaluating %s with the weights of %s on %s: %d images, %d threads, %s.",
                model, weights, test.name(), test.size(), Parallel.threads(), Evaluator.form(fold)));
        return Evaluator.measure(net, test, loaded.normalize(), batch > 0 ? batch : DEFAULT_BATCH, new Rng(0), weights,
                display, out, keepPredictions, fold);
    }
}

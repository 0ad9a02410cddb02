package vista.models.app.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import vista.data.DataLoader;
import vista.data.Dataset;
import vista.data.Normalize;
import vista.models.app.stats.Proportion;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.checkpoint.Checkpoint;
import vista.nn.inference.Folding;
import vista.tensor.Rng;
import vista.tensor.runtime.Parallel;

/**
 * The work of {@code vista eval}: rebuilds a checkpoint's model from the config stored in it, prepares
 * the test images as its training run did (the stored normalisation, no augmentation), evaluates it
 * ({@link Evaluation}: eval mode, no gradients) and prints the loss, the top-1 and top-5 accuracy with
 * their exact 95% intervals ({@link Proportion}: Clopper-Pearson), the confusion matrix and each class's
 * accuracy with its interval. A checkpoint with a NaN or infinite value, or a model whose test loss is not finite,
 * gets an error instead of figures that would mean nothing.
 */
public final class Evaluator {
    private Evaluator() {
    }

    /**
     * Evaluates the model in {@code checkpoint} and prints the results to {@code out}.
     *
     * @param data     the data set ({@link TrainingData}), or null for the one the run trained on
     * @param batch    images per forward pass, or 0 for the run's batch size
     * @param limit    evaluate only the first {@code limit} test images (0: all)
     * @param progress the display's style
     * @param keepPredictions whether the result keeps each image's prediction ({@link Evaluation#predictions()})
     * @param fold     whether to evaluate the model's inference form ({@link Folding}: BatchNorm folded into the
     *     convolutions, ReLUs and residual adds in their epilogues) instead of the training graph in evaluation mode
     * @throws IOException if the checkpoint or the data cannot be read, or the checkpoint holds a NaN or
     *     infinite value (naming the tensor)
     * @throws IllegalArgumentException if the data does not fit the model (other image size or classes)
     * @throws IllegalStateException if the test loss is NaN or infinite although every weight is finite
     */
    public static Evaluation evaluate(Path checkpoint, String data, int batch, int limit,
                                      Progress.Mode progress, PrintWriter out, boolean keepPredictions, boolean fold)
            throws IOException {
        Progress display = new Progress(out, progress);
        RunCheckpoint run = RunCheckpoint.read(checkpoint);
        Checkpoint saved = run.checkpoint();
        TrainConfig config = run.config();
        DataFacts facts = run.facts();
        String nonFinite = Evaluation.nonFiniteValue(saved.model());
        if (nonFinite != null) {
            throw new IOException(checkpoint + " cannot be evaluated: its model's " + nonFinite + ". vista train"
                    + " checks every weight before it saves, so this file was changed or written by something else;"
                    + " evaluate another checkpoint, or train again.");
        }
        String spec = data == null ? config.data() : data;
        Dataset test = TrainingData.loadTest(spec, limit);
        String mismatch = facts.mismatch(test);
        if (mismatch != null) {
            throw new IllegalArgumentException(mismatch + "; evaluate it on data of the same kind (--data)");
        }
        Module model = run.model();
        display.line(String.format(Locale.ROOT,
                "Evaluating %s (after epoch %d of %d, step %d) from %s on %s: %d images, %d threads, %s.", config.model(),
                saved.epoch(), config.epochs(), saved.step(), checkpoint, test.name(), test.size(),
                Parallel.threads(), form(fold)));
        return measure(model, test, facts.normalize(), batch > 0 ? batch : config.batch(), new Rng(config.seed()),
                checkpoint, display, out, keepPredictions, fold);
    }

    /**
     * Evaluates {@code model} on {@code test}, normalised by {@code normalize}, {@code batch} images at a time,
     * and prints the results; {@code source} is the file the weights came from, for the error about a loss
     * that is not finite; with {@code fold}, the model's inference form ({@link Folding}) does the work.
     */
    static Evaluation measure(Module model, Dataset test, Normalize normalize, int batch, Rng rng, Path source,
            Progress display, PrintWriter out, boolean keepPredictions, boolean fold) {
        Module network = fold ? Folding.fold(model) : model;
        Evaluation result;
        try (DataLoader loader = DataLoader.builder().setDataset(test).setBatchSize(batch)
                .setRng(rng.split("test data")).optShuffle(false).optTransforms(normalize).build()) {
            result = Evaluation.run(network, loader, test.numClasses(), done -> display.testStep(done, test.size()),
                    keepPredictions);
        }
        if (!Double.isFinite(result.loss())) {
            throw new IllegalStateException(source + " gives a test loss of " + result.loss() + " on " + test.name()
                    + " although every weight is finite: the model's logits overflow, so no accuracy is reported;"
                    + " evaluate another checkpoint, or train again with a lower --lr.");
        }
        display.line(String.format(Locale.ROOT, "loss %.4f   top-1 accuracy %.2f%%   top-5 accuracy %.2f%%",
                result.loss(), 100 * result.top1(), 100 * result.top5()));
        display.line("95% intervals, exact (Clopper-Pearson): top-1 "
                + new Proportion(result.top1Correct(), result.samples()).interval().percent(2) + " %, top-5 "
                + new Proportion(result.top5Correct(), result.samples()).interval().percent(2) + " %, of "
                + result.samples() + " images");
        display.line("");
        display.line("Confusion matrix: a row per true class, a column per predicted class (numbered as the rows).");
        out.print(result.confusion().format(test.classNames()));
        display.line("");
        display.line("Top-1 accuracy per class, with its 95% interval:");
        out.print(perClass(result.confusion(), test.classNames()));
        out.flush();
        return result;
    }

    /** How the model runs, for the first line: its inference form, or the training graph. */
    static String form(boolean fold) {
        return fold ? "BatchNorm folded into the convolutions" : "the training graph in evaluation mode (--no-fold)";
    }

    /**
     * One line per class: its number and name, correct of its images, the accuracy and its 95% interval
     * ({@link Proportion}); "no images" for a class the test split lacks.
     */
    static String perClass(ConfusionMatrix confusion, List<String> classNames) {
        int width = classNames.stream().mapToInt(String::length).max().orElse(0);
        int numberWidth = String.valueOf(classNames.size() - 1).length();
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < confusion.numClasses(); c++) {
            long images = confusion.rowTotal(c);
            String head = String.format(Locale.ROOT, "%" + numberWidth + "d %-" + width + "s", c, classNames.get(c));
            if (images == 0) {
                sb.append(head).append("   no images\n");
                continue;
            }
            Proportion correct = new Proportion(confusion.count(c, c), images);
            sb.append(String.format(Locale.ROOT, "%s %8d of %-8d %7.2f%%  %s\n", head, correct.successes(), images,
                    100 * correct.rate(), correct.interval().percent(2)));
        }
        return sb.toString();
    }
}

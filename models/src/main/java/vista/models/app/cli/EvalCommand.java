package vista.models.app.cli;

import com.google.gson.Gson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vista.models.app.compare.PredictionFile;
import vista.models.app.stats.Interval;
import vista.models.app.stats.Proportion;
import vista.models.app.train.ConfusionMatrix;
import vista.models.app.train.Evaluation;
import vista.models.app.train.Evaluator;
import vista.models.app.train.Progress;
import vista.models.app.train.WeightsEvaluator;

/**
 * {@code vista eval}: evaluates a checkpoint of {@code vista train} ({@link Evaluator}), or released weights
 * of a zoo model in any format Vista reads ({@code --weights FILE --model M --data D}, {@link WeightsEvaluator}),
 * on a test split: loss, top-1 and top-5 accuracy with their exact 95% intervals (Clopper-Pearson,
 * {@link Proportion}), the confusion matrix and each class's accuracy; with {@code --json} one JSON object
 * {@code {"top1", "top5", "loss", "count", "source", "top1_interval", "top5_interval", "interval_method",
 * "per_class"}} instead. {@code --predictions FILE} also writes each image's prediction
 * ({@link PredictionFile}). The model runs in its inference form (BatchNorm folded into the convolutions, ReLUs
 * and residual adds in their epilogues: {@code vista.nn.inference}) unless {@code --no-fold}. Exit status 0, 1 when the weights or the data cannot be used (or the weights or
 * the test loss are not finite, or the predictions cannot be written), 2 for invalid options.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a checkpoint on a test split: loss, top-1 and top-5 accuracy with 95%% intervals,"
                + " confusion matrix, per-class accuracy.")
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "A checkpoint written by vista train (OUT/checkpoint.vckp).")
    Path checkpoint;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "Instead of --checkpoint: weights of --model in any format Vista reads (PyTorch .pth/.pt,"
                    + " safetensors, a Vista checkpoint), recognised by content; needs --model and --data.")
    Path weights;

    @Option(names = "--model", paramLabel = "NAME", description = "With --weights: the zoo model the weights are for.")
    String model;

    @Option(names = "--classes", paramLabel = "N",
            description = "With --weights: the model's classes (default: the data's; must be the data's).")
    Integer classes;

    @Mixin
    DataOption data = new DataOption();

    @Option(names = "--batch", defaultValue = "0", paramLabel = "N",
            description = "Images per forward pass (default: the run's batch size).")
    int batch;

    @Option(names = "--limit-test", defaultValue = "0", paramLabel = "N",
            description = "Evaluate only the first N test images (default: all).")
    int limitTest;

    @Option(names = "--predictions", paramLabel = "FILE",
            description = "Also write each test image's prediction to FILE, as CSV: " + PredictionFile.HEADER
                    + " (the probability of the predicted class); for vista compare.")
    Path predictions;

    @Option(names = "--no-fold",
            description = "Run the training graph in evaluation mode instead of the inference form (BatchNorm folded"
                    + " into the convolutions, ReLUs and residual adds in their epilogues), to check one against the"
                    + " other.")
    boolean noFold;

    @Mixin
    JsonOption json = new JsonOption();

    @Mixin
    ThreadsOption threads;

    @Mixin
    ProgressOption progress = new ProgressOption("auto");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What is wrong with the choice of weights, or null. */
    private String sourceProblem() {
        if ((checkpoint == null) == (weights == null)) {
            return "Give either --checkpoint FILE (a run of vista train) or --weights FILE with --model and --data.";
        }
        if (weights == null) {
            return model != null || classes != null ? "--model and --classes go with --weights; a checkpoint"
                    + " records its own model." : null;
        }
        if (model == null || data.given == null) {
            return "--weights needs --model NAME and --data DATA: a weight file records neither its model nor"
                    + " the data it was trained on.";
        }
        return classes != null && classes < 1 ? "--classes must be at least 1, got " + classes + "." : null;
    }

    /**
     * The result as one JSON object: top1, top5, loss, count, the weights' file, the 95% intervals of top1
     * and top5 as [lower, upper] fractions, their method, and per_class: one object per class with its
     * number, name, images, correct, top1 and top1_interval.
     */
    private static String toJson(Evaluation result, Path source) {
        List<String> classNames = result.classNames();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("top1", result.top1());
        m.put("top5", result.top5());
        m.put("loss", result.loss());
        m.put("count", result.samples());
        m.put("source", source.toString());
        m.put("top1_interval", bounds(new Proportion(result.top1Correct(), result.samples()).interval()));
        m.put("top5_interval", bounds(new Proportion(result.top5Correct(), result.samples()).interval()));
        m.put("interval_method", Proportion.METHOD);
        List<Map<String, Object>> perClass = new ArrayList<>();
        ConfusionMatrix confusion = result.confusion();
        for (int c = 0; c < confusion.numClasses(); c++) {
            Map<String, Object> row = new LinkedHashMap<>();
            long images = confusion.rowTotal(c);
            row.put("class", c);
            row.put("name", classNames.get(c));
            row.put("images", images);
            row.put("correct", confusion.count(c, c));
            if (images > 0) {
                Proportion accuracy = new Proportion(confusion.count(c, c), images);
                row.put("top1", accuracy.rate());
                row.put("top1_interval", bounds(accuracy.interval()));
            }
            perClass.add(row);
        }
        m.put("per_class", perClass);
        return new Gson().toJson(m);
    }

    private static List<Double> bounds(Interval interval) {
        return List.of(interval.lower(), interval.upper());
    }

    @Mixin
    AttentionRecipeOption recipe = new AttentionRecipeOption();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String problem = UsageError.first(
                batch < 0 || limitTest < 0 ? "--batch and --limit-test must be at least 0 (0: the default)." : null,
                sourceProblem(), threads.problem(), progress.problem(), data.problem(), recipe.problem());
        if (problem != null) {
            return UsageError.report(spec, List.of(problem));
        }
        threads.apply();
        try {
            PrintWriter text = json.enabled ? new PrintWriter(Writer.nullWriter()) : out;
            boolean keep = predictions != null;
            Evaluation result = weights == null
                    ? Evaluator.evaluate(checkpoint, data.spec(), batch, limitTest, progress.mode(), text, keep, !noFold)
                    : WeightsEvaluator.evaluate(weights, model, recipe.recipe(), classes, data.spec(), batch, limitTest,
                            Progress.Mode.LINES, text, keep, !noFold);
            if (keep) {
                PredictionFile.write(predictions, result.predictions());
                text.println("Wrote the predictions of " + result.samples() + " images to " + predictions + ".");
                text.flush();
            }
            if (json.enabled) {
                out.println(toJson(result, weights == null ? checkpoint : weights));
                out.flush();
            }
            return 0;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            out.flush();
            err.println("vista eval: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}

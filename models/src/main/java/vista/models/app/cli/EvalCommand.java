package vista.models.app.cli;

import com.google.gson.Gson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vista.models.app.train.Evaluation;
import vista.models.app.train.Evaluator;
import vista.models.app.train.Progress;
import vista.models.app.train.WeightsEvaluator;

/**
 * {@code vista eval}: evaluates a checkpoint of {@code vista train} ({@link Evaluator}), or released weights
 * of a zoo model in any format Vista reads ({@code --weights FILE --model M --data D}, {@link WeightsEvaluator}),
 * on a test split: loss, top-1 and top-5 accuracy, and the confusion matrix; with {@code --json} one JSON
 * object {@code {"top1", "top5", "loss", "count", "source"}} instead. Exit status 0, 1 when the weights or
 * the data cannot be used (or the weights or the test loss are not finite), 2 for invalid options.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a checkpoint on a test split: loss, top-1 and top-5 accuracy, confusion matrix.")
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

    /** The result as one JSON object: top1, top5, loss, count and the weights' file. */
    private static String toJson(Evaluation result, Path source) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("top1", result.top1());
        m.put("top5", result.top5());
        m.put("loss", result.loss());
        m.put("count", result.samples());
        m.put("source", source.toString());
        return new Gson().toJson(m);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String problem = UsageError.first(
                batch < 0 || limitTest < 0 ? "--batch and --limit-test must be at least 0 (0: the default)." : null,
                sourceProblem(), threads.problem(), progress.problem(), data.problem());
        if (problem != null) {
            return UsageError.report(spec, List.of(problem));
        }
        threads.apply();
        try {
            PrintWriter text = json.enabled ? new PrintWriter(Writer.nullWriter()) : out;
            Evaluation result = weights == null
                    ? Evaluator.evaluate(checkpoint, data.spec(), batch, limitTest, progress.mode(), text)
                    : WeightsEvaluator.evaluate(weights, model, classes, data.spec(), batch, limitTest,
                            Progress.Mode.LINES, text);
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

package vista.models.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vista.models.app.train.Evaluator;

/**
 * {@code vista eval}: evaluates a checkpoint of {@code vista train} on a test split: loss, top-1 and
 * top-5 accuracy, and the confusion matrix (see {@link Evaluator}). Exit status 0, 1 when the checkpoint
 * or the data cannot be used (or the checkpoint's weights or test loss are not finite), 2 for invalid options.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a checkpoint on a test split: loss, top-1 and top-5 accuracy, confusion matrix.")
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
            description = "A checkpoint written by vista train (OUT/checkpoint.vckp).")
    Path checkpoint;

    @Mixin
    DataOption data = new DataOption();

    @Option(names = "--batch", defaultValue = "0", paramLabel = "N",
            description = "Images per forward pass (default: the run's batch size).")
    int batch;

    @Option(names = "--limit-test", defaultValue = "0", paramLabel = "N",
            description = "Evaluate only the first N test images (default: all).")
    int limitTest;

    @Mixin
    ThreadsOption threads;

    @Mixin
    ProgressOption progress = new ProgressOption("auto");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String problem = UsageError.first(
                batch < 0 || limitTest < 0 ? "--batch and --limit-test must be at least 0 (0: the default)." : null,
                threads.problem(), progress.problem(), data.problem());
        if (problem != null) {
            return UsageError.report(spec, List.of(problem));
        }
        threads.apply();
        try {
            Evaluator.evaluate(checkpoint, data.spec(), batch, limitTest, progress.mode(), out);
            return 0;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            out.flush();
            err.println("vista eval: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}

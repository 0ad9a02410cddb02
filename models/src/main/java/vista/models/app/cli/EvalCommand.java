package vista.models.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vista.models.app.train.Evaluator;
import vista.tensor.runtime.Parallel;

/**
 * {@code vista eval}: evaluates a checkpoint of {@code vista train} on a test split: loss, top-1 and
 * top-5 accuracy, and the confusion matrix (see {@link Evaluator}). Exit status 0, 1 when the checkpoint
 * or the data cannot be used, 2 for invalid options.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a checkpoint on a test split: loss, top-1 and top-5 accuracy, confusion matrix.")
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
            description = "A checkpoint written by vista train (OUT/checkpoint.vckp).")
    Path checkpoint;

    @Option(names = "--data", paramLabel = "DATA",
            description = "The data set, as for vista train (default: the one the run trained on).")
    String data;

    @Option(names = "--batch", defaultValue = "0", paramLabel = "N",
            description = "Images per forward pass (default: the run's batch size).")
    int batch;

    @Option(names = "--limit-test", defaultValue = "0", paramLabel = "N",
            description = "Evaluate only the first N test images (default: all).")
    int limitTest;

    @Option(names = "--threads", paramLabel = "T", description = "Kernel threads (default: all processors).")
    Integer threads;

    @Option(names = "--progress", defaultValue = "auto", paramLabel = "auto|bar|lines",
            description = "Show progress as a bar (on a terminal) or not at all (lines) (default: ${DEFAULT-VALUE}).")
    String progress;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String problem = batch < 0 || limitTest < 0 ? "--batch and --limit-test must be at least 0 (0: the default)."
                : threads != null && threads < 1 ? "--threads must be at least 1, got " + threads + "."
                : !List.of("auto", "bar", "lines").contains(progress)
                        ? "--progress must be auto, bar or lines, got " + progress + "." : null;
        if (problem != null) {
            err.println("vista eval: " + problem);
            err.println("Run 'vista eval --help' for the options.");
            err.flush();
            return 2;
        }
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        try {
            Evaluator.evaluate(checkpoint, data, batch, limitTest, progress, out);
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            out.flush();
            err.println("vista eval: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}

package vista.models.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vista.models.app.plot.RunMetrics;
import vista.models.app.plot.TrainingCurves;

/**
 * {@code vista plot RUN_DIR... --out curves.png}: the learning curves of one or more training runs
 * ({@link TrainingCurves}, from each run's metrics.jsonl, {@link RunMetrics}). Exit status 0, 1 when a
 * folder is not a run folder or the PNG cannot be written, 2 for invalid options.
 */
@Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw training and test loss and accuracy per epoch of one or more runs of vista train as a"
                + " PNG, one colour per run.")
final class PlotCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run folders (the --out of vista train).")
    List<Path> runs;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "The PNG to write.")
    Path out;

    @Option(names = "--width", defaultValue = "900", paramLabel = "PIXELS",
            description = "The picture's width (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", defaultValue = "1200", paramLabel = "PIXELS",
            description = "The picture's height (default: ${DEFAULT-VALUE}).")
    int height;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String problem = UsageError.first(
                width < 200 || height < 200 || width > 10000 || height > 10000
                        ? "--width and --height must be between 200 and 10000 pixels, got " + width + " x " + height
                        + "." : null,
                out.toString().isEmpty() ? "--out is empty; name the PNG file to write, e.g. --out curves.png." : null,
                Files.isDirectory(out) ? "--out " + out + " is a folder; name the PNG file to write in it, e.g. --out "
                        + out.resolve("curves.png") + "." : null);
        if (problem != null) {
            return UsageError.report(spec, List.of(problem));
        }
        System.setProperty("java.awt.headless", "true");
        try {
            List<RunMetrics> metrics = new ArrayList<>();
            for (Path run : runs) {
                metrics.add(RunMetrics.read(run));
            }
            TrainingCurves.writePng(metrics, out, width, height);
            stdout.println("Wrote the curves of " + metrics.size() + (metrics.size() == 1 ? " run" : " runs") + " ("
                    + String.join(", ", metrics.stream().map(RunMetrics::name).toList()) + ") to " + out + ".");
            stdout.flush();
            return 0;
        } catch (IOException e) {
            err.println("vista plot: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}

package vista.models.app.cli;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vista.models.app.runs.RunResult;
import vista.models.app.runs.RunTable;

/**
 * {@code vista runs RUN_DIR... [--markdown | --json]}: training runs side by side ({@link RunTable}, one
 * {@link RunResult} per folder). Exit status 0, 1 when a folder is not a run folder, 2 for invalid options.
 */
@Command(name = "runs", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Tabulate runs of vista train side by side: model, parameters, multiply-adds, epochs, the last"
                + " test top-1 with its 95% interval, training images/s and time, threads.")
final class RunsCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run folders (the --out of vista train).")
    List<Path> runs;

    @Option(names = "--markdown", description = "Print a Markdown table instead of aligned text.")
    boolean markdown;

    @CommandLine.Mixin
    JsonOption json = new JsonOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (markdown && json.enabled) {
            return UsageError.report(spec, List.of("--markdown and --json are two forms of the same table; choose"
                    + " one."));
        }
        PrintWriter out = spec.commandLine().getOut();
        try {
            List<RunResult> results = new ArrayList<>();
            for (Path run : runs) {
                results.add(RunResult.read(run));
            }
            out.print(json.enabled ? new GsonBuilder().disableHtmlEscaping().create().toJson(RunTable.json(results))
                    + "\n" : markdown ? RunTable.markdown(results) : RunTable.text(results));
            out.flush();
            return 0;
        } catch (IOException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("vista runs: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}

package vista.models.app.cli;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vista.models.app.compare.ComparedRun;
import vista.models.app.compare.Comparison;
import vista.models.app.compare.ComparisonReport;

/**
 * {@code vista compare A [B] [--claim X] [--json]}: judges two models on the same test images (McNemar's
 * exact test, the accuracy difference with its 95% interval), or one or two against a published accuracy
 * ({@code --claim}, in percent). A and B are prediction files ({@code vista eval --predictions}), run
 * folders or checkpoints ({@link ComparedRun}); the statistics are {@code app.stats}'s, the words
 * {@link ComparisonReport}'s. Exit status 0, 1 when a side cannot be read or the two are not on the same
 * test set, 2 for invalid options.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare two models on the same test images: where each is right and the other wrong,"
                + " McNemar's exact test, and the accuracy difference with its 95%% interval;"
                + " or test a published accuracy (--claim) against one or two runs.",
            "A and B are prediction files (vista eval --predictions FILE), run folders of vista train, or"
                + " checkpoints (evaluated on their run's test split)."})
final class CompareCommand implements Callable<Integer> {

    @Parameters(arity = "1..2", paramLabel = "RUN", description = "A, and optionally B.")
    List<Path> sides;

    @Option(names = "--claim", paramLabel = "PERCENT",
            description = "A published top-1 accuracy in percent, e.g. 74.9: is it inside each run's 95%% interval,"
                    + " and the exact binomial p of the run's count if it were true.")
    Double claim;

    @Mixin
    JsonOption json = new JsonOption();

    @Mixin
    ThreadsOption threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String problem = UsageError.first(
                sides.size() == 1 && claim == null
                        ? "Give two runs to compare (vista compare A B), or one with --claim PERCENT." : null,
                claim != null && !(claim >= 0 && claim <= 100)
                        ? "--claim is an accuracy in percent, from 0 to 100 (for example 74.9), got " + claim + "."
                        : null,
                threads.problem());
        if (problem != null) {
            return UsageError.report(spec, List.of(problem));
        }
        threads.apply();
        try {
            ComparedRun a = ComparedRun.load(sides.get(0), err);
            ComparedRun b = sides.size() == 2 ? ComparedRun.load(sides.get(1), err) : null;
            Comparison comparison = Comparison.of(a, b, claim == null ? null : claim / 100);
            out.print(json.enabled ? new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create()
                    .toJson(ComparisonReport.json(comparison)) + "\n" : ComparisonReport.text(comparison));
            out.flush();
            return 0;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            out.flush();
            err.println("vista compare: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}

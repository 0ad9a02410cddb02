package vista.models.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vista.models.app.provenance.Replay;
import vista.models.app.train.TrainingDivergedException;

/**
 * {@code vista replay}: re-runs a recorded training run from its {@code manifest.json} and checks that
 * every step's loss and every recorded digest come out bit for bit the same (see {@link Replay}); a
 * digest that is missing or malformed is a mismatch. Exit status 0 when everything matched, 1 when something differed or the replay could
 * not run (the message says which), 2 for invalid options.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Re-run a recorded training run and check it bit for bit against its manifest.",
            "First checks that every digest the manifest records is well formed and agrees with the others; then"
                + " compares the data files and facts, the random streams, the initial weights, every step's loss, the"
                + " weights' digests, each epoch's sample order, weights, optimizer state and metrics, and the final"
                + " weights; names the first step that differs."})
final class ReplayCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MANIFEST", description = "A run's manifest.json (in its --out folder).")
    Path manifest;

    @Option(names = "--epochs", defaultValue = "0", paramLabel = "K",
            description = "Replay only the first K epochs (default: every recorded epoch).")
    int epochs;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Keep the replay's run folder here (default: a temporary folder, deleted afterwards).")
    Path out;

    @Mixin
    ThreadsOption threads;

    @Mixin
    ProgressOption progress = new ProgressOption("lines");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String problem = UsageError.first(
                epochs < 0 ? "--epochs must be at least 1 (or 0: every recorded epoch), got " + epochs + "." : null,
                threads.problem(), progress.problem());
        if (problem != null) {
            return UsageError.report(spec, List.of(problem));
        }
        threads.apply();
        Path folder = null;
        try {
            folder = this.out != null ? this.out : Files.createTempDirectory("vista-replay-");
            Replay.Outcome outcome = Replay.run(manifest, epochs, folder, progress.mode(), out);
            if (outcome.matches()) {
                out.println("MATCH: " + outcome.epochsCompared() + " epoch" + (outcome.epochsCompared() == 1 ? "" : "s")
                        + " replayed bit for bit as " + manifest + " records." + (this.out == null
                        ? " (The replay's run folder was temporary and is deleted; --out DIR keeps it.)" : ""));
                out.flush();
                return 0;
            }
            out.flush();
            err.println("vista replay: MISMATCH " + outcome.firstDifference() + ".");
            err.flush();
            return 1;
        } catch (TrainingDivergedException | IOException | IllegalArgumentException | IllegalStateException e) {
            out.flush();
            err.println("vista replay: " + e.getMessage());
            err.flush();
            return 1;
        } finally {
            if (this.out == null && folder != null) {
                deleteQuietly(folder);
            }
        }
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary folder left behind harms nothing; the result stands.
        }
    }
}

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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vista.models.app.provenance.Replay;
import vista.models.app.train.TrainingDivergedException;
import vista.tensor.runtime.Parallel;

/**
 * {@code vista replay}: re-runs a recorded training run from its {@code manifest.json} and checks that
 * every step's loss and every recorded digest of the weights come out bit for bit the same (see
 * {@link Replay}). Exit status 0 when everything matched, 1 when something differed or the replay could
 * not run (the message says which), 2 for invalid options.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Re-run a recorded training run and check it bit for bit against its manifest.",
            "Compares the data files, the initial weights, every step's loss, the weights' digests and each epoch's"
                + " sample order, weights, optimizer state and metrics; names the first step that differs."})
final class ReplayCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MANIFEST", description = "A run's manifest.json (in its --out folder).")
    Path manifest;

    @Option(names = "--epochs", defaultValue = "0", paramLabel = "K",
            description = "Replay only the first K epochs (default: every recorded epoch).")
    int epochs;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Keep the replay's run folder here (default: a temporary folder, deleted afterwards).")
    Path out;

    @Option(names = "--threads", paramLabel = "T",
            description = "Kernel threads (default: all processors); the record's count need not be used.")
    Integer threads;

    @Option(names = "--progress", defaultValue = "lines", paramLabel = "auto|bar|lines",
            description = "Training progress display, as for vista train (default: ${DEFAULT-VALUE}).")
    String progress;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String problem = epochs < 0 ? "--epochs must be at least 1 (or 0: every recorded epoch), got " + epochs + "."
                : threads != null && threads < 1 ? "--threads must be at least 1, got " + threads + "."
                : !List.of("auto", "bar", "lines").contains(progress)
                        ? "--progress must be auto, bar or lines, got " + progress + "." : null;
        if (problem != null) {
            err.println("vista replay: " + problem);
            err.println("Run 'vista replay --help' for the options.");
            err.flush();
            return 2;
        }
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        Path folder = null;
        try {
            folder = this.out != null ? this.out : Files.createTempDirectory("vista-replay-");
            Replay.Outcome outcome = Replay.run(manifest, epochs, folder, progress, out);
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

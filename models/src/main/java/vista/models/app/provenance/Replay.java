package vista.models.app.provenance;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import vista.models.app.provenance.RunManifest.Session;
import vista.models.app.train.Progress;
import vista.models.app.train.TrainConfig;
import vista.models.app.train.Trainer;
import vista.models.app.train.TrainingObserver;
import vista.models.app.train.TrainingProgress;

/**
 * {@code vista replay}: trains a recorded run again from its {@link RunManifest} and checks, step by
 * step and epoch by epoch, that the new run computes exactly what the record says.
 *
 * <p>The replay starts a new run of the recorded config (same seed, same data) in a folder of its own,
 * with the record's {@code digest_every}, records it as {@code vista train} would ({@link ManifestRecorder},
 * {@link WeightDigests}) and compares that record with the recorded one as it grows
 * ({@link ReplayComparison}). The run is a match only if the record is whole and agrees with itself
 * ({@link RunManifest#defects()}) and nothing differed in every epoch replayed.
 */
public final class Replay {
    private Replay() {
    }

    /**
     * What a replay found.
     *
     * @param epochsCompared  epochs trained and compared
     * @param firstDifference the first difference, as a sentence naming its step; null if none
     */
    public record Outcome(int epochsCompared, String firstDifference) {
        /** True if every compared value was identical. */
        public boolean matches() {
            return firstDifference == null;
        }
    }

    /**
     * Replays the first {@code epochs} epochs of the run recorded in {@code manifest} (0: every
     * recorded epoch), training in {@code out} (a folder without a run) with the progress display
     * {@code progress}, and prints a line per epoch. A record with {@link RunManifest#defects()} is a
     * mismatch at once, before anything is trained.
     *
     * @throws IOException              if the manifest or the data cannot be read, or {@code out} written
     * @throws IllegalArgumentException if the manifest cannot be replayed (no initial weights, too few
     *                                  recorded epochs, an unreadable config)
     */
    public static Outcome run(Path manifest, int epochs, Path out, Progress.Mode progress, PrintWriter print)
            throws IOException {
        Path manifestFile = manifest.toAbsolutePath();
        RunManifest recorded = RunManifest.read(manifestFile);
        List<String> defects = recorded.defects();
        if (!defects.isEmpty()) {
            return new Outcome(0, "before the first step: " + manifestFile + " contradicts itself or"
                    + " is damaged, so nothing can match it: " + String.join("; ", defects));
        }
        int available = recorded.epochs().size();
        if (recorded.initialWeightsSha256() == null) {
            throw new IllegalArgumentException(manifestFile + " starts at epoch " + recorded.sessions().get(0)
                    .firstEpoch() + " (its run was resumed from a checkpoint written without a manifest), so it has"
                    + " no initial weights to replay from");
        }
        if (available == 0) {
            throw new IllegalArgumentException(manifestFile + " records no finished epoch yet; replay it once its"
                    + " run has finished an epoch");
        }
        if (epochs > available) {
            throw new IllegalArgumentException("--epochs " + epochs + " asks for more than the " + available
                    + " epoch" + (available == 1 ? "" : "s") + " " + manifestFile + " records");
        }
        int replayed = epochs == 0 ? available : epochs;
        TrainConfig config;
        try {
            config = recorded.trainConfig();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(manifestFile + " holds a config vista train cannot use: "
                    + e.getMessage(), e);
        }
        printContext(recorded, replayed, manifestFile, print);
        ManifestRecorder rerun = new ManifestRecorder(recorded.digestEvery());
        WeightDigests digests = new WeightDigests(rerun);
        ReplayComparison comparison = new ReplayComparison(recorded, replayed, rerun, digests, print);
        Trainer.start(config, new Trainer.Settings(out, 0),
                TrainingObserver.inOrder(rerun, digests, comparison, new TrainingProgress(print, progress)));
        return comparison.outcome();
    }

    private static void printContext(RunManifest recorded, int epochs, Path manifestFile, PrintWriter out) {
        Session first = recorded.sessions().get(0);
        Session now = ManifestParts.thisSession(0);
        out.println("Replaying " + epochs + " of the " + recorded.epochs().size() + " recorded epochs of "
                + manifestFile + ".");
        out.println("  recorded: " + first.summary() + (recorded.sessions().size() > 1
                ? " (and " + (recorded.sessions().size() - 1) + " resumed session(s))" : ""));
        out.println("  now:      " + now.summary());
        out.flush();
    }
}

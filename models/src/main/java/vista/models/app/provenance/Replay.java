package vista.models.app.provenance;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import vista.models.app.provenance.RunManifest.EpochRecord;
import vista.models.app.provenance.RunManifest.Session;
import vista.models.app.provenance.RunManifest.StepDigest;
import vista.models.app.train.Trainer;
import vista.models.app.train.TrainingObserver;

/**
 * {@code vista replay}: trains a recorded run again from its {@link RunManifest} and checks, step by
 * step and epoch by epoch, that the new run computes exactly what the record says.
 *
 * <p>The replay starts a new run of the recorded config (same seed, same data) in a folder of its own,
 * with the record's {@code digest_every}, and compares, as {@link Trainer} reports them
 * ({@link TrainingObserver}):
 * <ul>
 *   <li>before the first step: the data files' SHA-256 (a mismatch stops the replay: other data cannot
 *       give the same bits), the random streams, and the initial weights' SHA-256;</li>
 *   <li>after every step: the training loss, bit for bit, and the weights' SHA-256 where recorded;</li>
 *   <li>after every epoch: the shuffle seed, the sample order's SHA-256, the weights' and optimiser's
 *       SHA-256, and every metric that does not measure time ({@link #TIMING} are left out).</li>
 * </ul>
 * The first difference is named with its step (or "before the first step"); the replay stops after the
 * epoch in which it happened. The run is a match only if nothing differed in every epoch replayed.
 */
public final class Replay implements TrainingObserver {
    /** Metrics that measure time, so differ from run to run by nature; not compared. */
    static final List<String> TIMING = List.of("seconds", "images_per_second");

    private final RunManifest recorded;
    private final int epochs;
    private final PrintWriter out;
    private final Map<Long, StepDigest> recordedDigests = new TreeMap<>();
    private final Map<Long, Double> recordedLosses = new TreeMap<>();
    private String firstDifference;
    private boolean differedThisEpoch;
    private int epochsCompared;

    private Replay(RunManifest recorded, int epochs, PrintWriter out) {
        this.recorded = recorded;
        this.epochs = epochs;
        this.out = out;
        for (EpochRecord e : recorded.epochs()) {
            for (int i = 0; i < e.losses().size(); i++) {
                recordedLosses.put(e.firstStep() + i, e.losses().get(i));
            }
            e.weightDigests().forEach(d -> recordedDigests.put(d.step(), d));
        }
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
     * Replays the first {@code epochs} epochs of the run recorded in {@code manifestFile} (0: every
     * recorded epoch), training in {@code out} (a folder without a run), and prints a line per epoch.
     *
     * @throws IOException              if the manifest or the data cannot be read, or {@code out} written
     * @throws IllegalArgumentException if the manifest cannot be replayed (no initial weights, too few
     *                                  recorded epochs, an unreadable config)
     */
    public static Outcome run(Path manifestFile, int epochs, Path out, String progress, PrintWriter print)
            throws IOException {
        RunManifest recorded = RunManifest.read(manifestFile);
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
        Replay replay = new Replay(recorded, replayed, print);
        replay.printContext(manifestFile);
        Trainer.start(recorded.trainConfig(), new Trainer.Settings(out, 0, progress, recorded.digestEvery()),
                print, replay);
        return new Outcome(replay.epochsCompared, replay.firstDifference);
    }

    private void printContext(Path manifestFile) {
        Session first = recorded.sessions().get(0);
        Session now = ManifestRecorder.thisSession(0);
        out.println("Replaying " + epochs + " of the " + recorded.epochs().size() + " recorded epochs of "
                + manifestFile + ".");
        out.println("  recorded: " + first.summary() + (recorded.sessions().size() > 1
                ? " (and " + (recorded.sessions().size() - 1) + " resumed session(s))" : ""));
        out.println("  now:      " + now.summary());
        out.flush();
    }

    @Override
    public boolean started(RunManifest begun) {
        List<String> changed = ManifestRecorder.changedFiles(recorded.data().files(), begun.data().files());
        if (!changed.isEmpty()) {
            differ("before the first step: the data differs from the record (" + String.join("; ", changed)
                    + "), so the replay cannot give the same bits; replay with the recorded data");
            return false;
        }
        if (!Objects.equals(recorded.seeds(), begun.seeds())) {
            differ("before the first step: the random streams differ from the record (" + begun.seeds() + " now, "
                    + recorded.seeds() + " recorded)");
        }
        if (!recorded.initialWeightsSha256().equals(begun.initialWeightsSha256())) {
            differ("before the first step: the initial weights have SHA-256 " + begun.initialWeightsSha256()
                    + ", the record " + recorded.initialWeightsSha256());
        }
        return true;
    }

    @Override
    public void stepped(long step, double loss, String weightsSha256) {
        Double lossThen = recordedLosses.get(step);
        if (lossThen == null || Double.doubleToRawLongBits(lossThen) != Double.doubleToRawLongBits(loss)) {
            differ("at step " + step + ": the training loss is " + loss + ", the record " + lossThen);
        }
        StepDigest then = recordedDigests.get(step);
        if (then != null && !then.sha256().equals(weightsSha256)) {
            differ("at step " + step + ": the weights after it have SHA-256 " + weightsSha256 + ", the record "
                    + then.sha256());
        }
    }

    @Override
    public boolean epochEnded(EpochRecord now) {
        EpochRecord then = recorded.epoch(now.epoch());
        List<String> differences = differences(then, now);
        for (String d : differences) {
            differ("after epoch " + now.epoch() + " (step " + now.lastStep() + "): " + d);
        }
        epochsCompared++;
        out.println("replay epoch " + now.epoch() + ": " + (differedThisEpoch ? "DIFFERS" : "matches") + " (weights "
                + now.weightsSha256() + (differedThisEpoch ? ", recorded " + then.weightsSha256() : "") + ", "
                + now.losses().size() + " step losses, " + now.weightDigests().size() + " step digests, metrics)");
        out.flush();
        boolean goOn = !differedThisEpoch && now.epoch() < epochs;
        differedThisEpoch = false;
        return goOn;
    }

    /** What differs between the recorded and the replayed record of one epoch, each as a phrase. */
    static List<String> differences(EpochRecord then, EpochRecord now) {
        List<String> d = new ArrayList<>();
        compare(d, "the shuffle seed", then.shuffleSeed(), now.shuffleSeed());
        compare(d, "the number of samples", then.samples(), now.samples());
        compare(d, "the sample order's SHA-256", then.sampleOrderSha256(), now.sampleOrderSha256());
        compare(d, "the first step", then.firstStep(), now.firstStep());
        compare(d, "the weights' SHA-256", then.weightsSha256(), now.weightsSha256());
        compare(d, "the optimiser state's SHA-256", then.optimizerSha256(), now.optimizerSha256());
        for (Map.Entry<String, JsonElement> e : then.metrics().entrySet()) {
            if (!TIMING.contains(e.getKey())) {
                compare(d, "the metric " + e.getKey(), e.getValue(), metric(now.metrics(), e.getKey()));
            }
        }
        return d;
    }

    private static JsonElement metric(JsonObject metrics, String key) {
        return metrics.has(key) ? metrics.get(key) : null;
    }

    /** Adds "what is X now, Y in the record" if the two differ (JSON numbers compared by value). */
    private static void compare(List<String> d, String what, Object then, Object now) {
        boolean same = then instanceof JsonElement a && now instanceof JsonElement b && a.isJsonPrimitive()
                && b.isJsonPrimitive() && a.getAsJsonPrimitive().isNumber() && b.getAsJsonPrimitive().isNumber()
                ? a.getAsBigDecimal().compareTo(b.getAsBigDecimal()) == 0
                : Objects.equals(then, now);
        if (!same) {
            d.add(what + " is " + now + ", the record " + then);
        }
    }

    private void differ(String what) {
        differedThisEpoch = true;
        if (firstDifference == null) {
            firstDifference = what;
            out.println("replay: first difference " + what);
            out.flush();
        }
    }
}

package vista.models.app.provenance;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import vista.models.app.provenance.RunManifest.EpochRecord;
import vista.models.app.provenance.RunManifest.StepDigest;
import vista.models.app.train.TrainingObserver;

/**
 * Compares a re-run with its record as it trains, attached after the re-run's own {@link ManifestRecorder}
 * and {@link WeightDigests}:
 * <ul>
 *   <li>before the first step: the data files' SHA-256 (a mismatch stops the replay: other data cannot
 *       give the same bits), the random streams, and the initial weights' SHA-256;</li>
 *   <li>after every step: the training loss, bit for bit, and the weights' SHA-256 where recorded;</li>
 *   <li>after every epoch: the shuffle seed, the sample order's SHA-256, the weights' and optimiser's
 *       SHA-256, and every metric that does not measure time ({@link #TIMING} are left out).</li>
 * </ul>
 * The first difference is printed with its step (or "before the first step"); the run stops after the
 * epoch in which it happened, or after the last epoch to replay.
 */
final class ReplayComparison implements TrainingObserver {
    /** Metrics that measure time, so differ from run to run by nature; not compared. */
    private static final List<String> TIMING = List.of("seconds", "images_per_second");

    private final RunManifest recorded;
    private final int epochs;
    private final ManifestRecorder rerun;
    private final WeightDigests digests;
    private final PrintWriter out;
    private final Map<Long, StepDigest> recordedDigests = new TreeMap<>();
    private final Map<Long, Double> recordedLosses = new TreeMap<>();
    private String firstDifference;
    private boolean differedThisEpoch;
    private int epochsCompared;

    /**
     * Compares the first {@code epochs} epochs of {@code recorded} with what {@code rerun} records and
     * {@code digests} fingerprints, printing to {@code out}.
     */
    ReplayComparison(RunManifest recorded, int epochs, ManifestRecorder rerun, WeightDigests digests,
                     PrintWriter out) {
        this.recorded = recorded;
        this.epochs = epochs;
        this.rerun = rerun;
        this.digests = digests;
        this.out = out;
        for (EpochRecord e : recorded.epochs()) {
            for (int i = 0; i < e.losses().size(); i++) {
                recordedLosses.put(e.firstStep() + i, e.losses().get(i));
            }
            e.weightDigests().forEach(d -> recordedDigests.put(d.step(), d));
        }
    }

    /** What the comparison found so far. */
    Replay.Outcome outcome() {
        return new Replay.Outcome(epochsCompared, firstDifference);
    }

    @Override
    public boolean sessionStarted(Session session) {
        RunManifest begun = rerun.manifest();
        List<String> changed = ManifestParts.changedFiles(recorded.data().files(), begun.data().files());
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
    public void stepFinished(Step step) {
        Double lossThen = recordedLosses.get(step.step());
        if (lossThen == null || Double.doubleToRawLongBits(lossThen) != Double.doubleToRawLongBits(step.loss())) {
            differ("at step " + step.step() + ": the training loss is " + step.loss() + ", the record " + lossThen);
        }
        StepDigest then = recordedDigests.get(step.step());
        if (then != null && !then.sha256().equals(digests.latest())) {
            differ("at step " + step.step() + ": the weights after it have SHA-256 " + digests.latest()
                    + ", the record " + then.sha256());
        }
    }

    @Override
    public boolean epochSaved(Epoch epoch) {
        EpochRecord replayed = rerun.lastEpoch();
        EpochRecord then = recorded.epoch(replayed.epoch());
        for (String d : differences(then, replayed)) {
            differ("after epoch " + replayed.epoch() + " (step " + replayed.lastStep() + "): " + d);
        }
        epochsCompared++;
        out.println("replay epoch " + replayed.epoch() + ": " + (differedThisEpoch ? "DIFFERS" : "matches")
                + " (weights " + replayed.weightsSha256() + (differedThisEpoch ? ", recorded " + then.weightsSha256()
                : "") + ", " + replayed.losses().size() + " step losses, " + replayed.weightDigests().size()
                + " step digests, metrics)");
        out.flush();
        boolean goOn = !differedThisEpoch && replayed.epoch() < epochs;
        differedThisEpoch = false;
        return goOn;
    }

    /** What differs between the recorded and the replayed record of one epoch, each as a phrase. */
    private static List<String> differences(EpochRecord then, EpochRecord now) {
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

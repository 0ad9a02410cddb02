package vista.models.app.provenance;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import vista.models.app.provenance.RunManifest.EpochRecord;
import vista.models.app.provenance.RunManifest.StepDigest;
import vista.models.app.provenance.RunManifest.Stream;
import vista.models.app.train.DataFacts;
import vista.models.app.train.TrainingObserver;

/**
 * Compares a re-run with its record as it trains, attached after the re-run's own {@link ManifestRecorder}
 * and {@link WeightDigests} (the record has passed {@link RunManifest#defects()} before):
 * <ul>
 *   <li>before the first step: the data files' SHA-256 (a mismatch stops the replay: other data cannot
 *       give the same bits), the data's spec and facts, the seed and every random stream, and the initial
 *       weights' SHA-256;</li>
 *   <li>after every step: the training loss, bit for bit, and the weights' SHA-256 wherever the record or
 *       the re-run has one;</li>
 *   <li>after every epoch: the shuffle seed, the sample order's SHA-256, the number of steps and which of
 *       them were fingerprinted, the weights' and optimiser's SHA-256, and every metric either side has that
 *       does not measure time ({@link #TIMING} are left out);</li>
 *   <li>after the record's last epoch: {@code final_weights_sha256} and {@code finished}.</li>
 * </ul>
 * The first difference is printed with its step (or "before the first step"); the run stops after the
 * epoch in which it happened, or after the last epoch to replay.
 */
final class ReplayComparison implements TrainingObserver {
    /** Metrics that measure time, so differ from run to run by nature; not compared. */
    private static final List<String> TIMING = List.of("seconds", "images_per_second", "communication_share");

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
        List<String> d = new ArrayList<>();
        compare(d, "data.spec", recorded.data().spec(), begun.data().spec());
        Map<String, String> recordedFacts = ManifestParts.strings(recorded.data().facts());
        Map<String, String> replayedFacts = new LinkedHashMap<>(ManifestParts.strings(begun.data().facts()));
        replayedFacts.keySet().removeIf(k -> DataFacts.RECORDED_LATER.contains(k) && !recordedFacts.containsKey(k));
        d.addAll(ManifestParts.differentEntries("data.facts.", recordedFacts, replayedFacts, "this replay",
                "the record"));
        compare(d, "the seed", recorded.seeds().seed(), begun.seeds().seed());
        d.addAll(streamDifferences(recorded.seeds().streams(), begun.seeds().streams()));
        compare(d, "the initial weights' SHA-256", recorded.initialWeightsSha256(), begun.initialWeightsSha256());
        d.forEach(difference -> differ("before the first step: " + difference));
        return true;
    }

    /** How the random streams differ from the record, each as a phrase naming the stream. */
    private static List<String> streamDifferences(List<Stream> then, List<Stream> now) {
        List<String> d = new ArrayList<>();
        List<String> names = now.stream().map(Stream::name).toList();
        compare(d, "the random streams' names", then.stream().map(Stream::name).toList(), names);
        if (d.isEmpty()) {
            for (int i = 0; i < names.size(); i++) {
                Stream a = then.get(i);
                Stream b = now.get(i);
                compare(d, "the random stream " + a.name() + "'s seed", a.seed(), b.seed());
                compare(d, "the random stream " + a.name() + "'s derivation", a.derivation(), b.derivation());
                compare(d, "the random stream " + a.name() + "'s use", a.usedFor(), b.usedFor());
            }
        }
        return d;
    }

    @Override
    public void stepFinished(Step step) {
        Double lossThen = recordedLosses.get(step.step());
        if (lossThen == null || Double.doubleToRawLongBits(lossThen) != Double.doubleToRawLongBits(step.loss())) {
            differ("at step " + step.step() + ": the training loss is " + step.loss() + ", the record "
                    + (lossThen == null ? "none" : lossThen));
        }
        String then = recordedDigests.containsKey(step.step()) ? recordedDigests.get(step.step()).sha256() : null;
        if (!Objects.equals(then, digests.latest())) {
            differ("at step " + step.step() + ": the weights after it have SHA-256 " + (digests.latest() == null
                    ? "none (not fingerprinted)" : digests.latest()) + ", the record " + (then == null ? "none" : then));
        }
    }

    @Override
    public boolean epochSaved(Epoch epoch) {
        EpochRecord replayed = rerun.lastEpoch();
        EpochRecord then = recorded.epoch(replayed.epoch());
        String where = "after epoch " + replayed.epoch() + " (step " + replayed.lastStep() + "): ";
        if (then == null) {
            differ(where + "the record has no epoch " + replayed.epoch());
        } else {
            differences(then, replayed).forEach(d -> differ(where + d));
        }
        if (replayed.epoch() == recorded.epochs().get(recorded.epochs().size() - 1).epoch()) {
            List<String> d = new ArrayList<>();
            compare(d, "final_weights_sha256", recorded.finalWeightsSha256(), rerun.manifest().finalWeightsSha256());
            compare(d, "finished", recorded.finished(), rerun.manifest().finished());
            d.forEach(difference -> differ(where + difference));
        }
        epochsCompared++;
        out.println("replay epoch " + replayed.epoch() + ": " + (differedThisEpoch ? "DIFFERS" : "matches")
                + " (weights " + replayed.weightsSha256() + (differedThisEpoch ? ", recorded "
                + (then == null ? "none" : then.weightsSha256()) : "") + ", " + replayed.losses().size()
                + " step losses, " + replayed.weightDigests().size() + " step digests, metrics)");
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
        compare(d, "the number of step losses", then.losses().size(), now.losses().size());
        compare(d, "the steps whose weights are fingerprinted", steps(then), steps(now));
        compare(d, "the weights' SHA-256", then.weightsSha256(), now.weightsSha256());
        compare(d, "the optimiser state's SHA-256", then.optimizerSha256(), now.optimizerSha256());
        Set<String> metrics = new LinkedHashSet<>(then.metrics().keySet());
        metrics.addAll(now.metrics().keySet());
        for (String key : metrics) {
            if (!TIMING.contains(key)) {
                compare(d, "the metric " + key, metric(then.metrics(), key), metric(now.metrics(), key));
            }
        }
        return d;
    }

    private static List<Long> steps(EpochRecord epoch) {
        return epoch.weightDigests().stream().map(StepDigest::step).toList();
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
            d.add(what + " is " + (now == null ? "none" : now) + ", the record " + (then == null ? "none" : then));
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

package vista.models.app.provenance;

import com.google.gson.JsonElement;
import java.util.ArrayList;
import java.util.List;
import vista.models.app.provenance.RunManifest.EpochRecord;
import vista.models.app.provenance.RunManifest.StepDigest;

/**
 * The checks a {@link RunManifest} must pass on its own, before any of its values is compared with a
 * re-run ({@code vista replay}) or a checkpoint ({@code vista verify}): a record that contradicts itself
 * or holds a damaged digest can match nothing, so it is a mismatch at once.
 */
final class ManifestDefects {
    private ManifestDefects() {
    }

    /**
     * What is wrong with {@code m} on its own, each as a phrase that names its key: a digest that is
     * missing or not 64 lowercase hex digits ({@link #isSha256}); epochs that do not count up from the
     * first session's; steps that do not follow on; per-step fingerprints missing or out of place; final
     * weights or {@code finished} that contradict the last epoch. Empty for every manifest Vista writes.
     */
    static List<String> of(RunManifest m) {
        List<String> d = new ArrayList<>();
        int firstEpoch = m.sessions().get(0).firstEpoch();
        if (m.initialWeightsSha256() != null || firstEpoch == 0) {
            sha256(d, "initial_weights_sha256", m.initialWeightsSha256());
        }
        for (int i = 0; i < m.data().files().size(); i++) {
            sha256(d, "data.files[" + i + "].sha256", m.data().files().get(i).sha256());
        }
        for (int i = 0; i < m.epochs().size(); i++) {
            epochDefects(m, d, i, firstEpoch);
        }
        EpochRecord last = m.epochs().isEmpty() ? null : m.epochs().get(m.epochs().size() - 1);
        if (last != null || m.finalWeightsSha256() != null || firstEpoch > 0) {
            sha256(d, "final_weights_sha256", m.finalWeightsSha256());
        }
        String finalWeights = m.finalWeightsSha256();
        if (last != null && isSha256(finalWeights) && !finalWeights.equals(last.weightsSha256())) {
            d.add("final_weights_sha256 is " + finalWeights + ", but the last epoch's weights_sha256 (epochs["
                    + (m.epochs().size() - 1) + "]) is " + last.weightsSha256());
        }
        JsonElement planned = m.config().get("epochs");
        if (planned != null && planned.isJsonPrimitive() && planned.getAsJsonPrimitive().isNumber()
                && m.finished() != (last != null && last.epoch() == planned.getAsLong())) {
            d.add("finished is " + m.finished() + ", but the last recorded epoch is "
                    + (last == null ? "none" : last.epoch())
                    + " of the " + planned + " in config.epochs");
        }
        return d;
    }

    private static void epochDefects(RunManifest m, List<String> d, int i, int firstEpoch) {
        EpochRecord e = m.epochs().get(i);
        String key = "epochs[" + i + "]";
        if (e.epoch() != firstEpoch + 1 + i) {
            d.add(key + ".epoch is " + e.epoch() + ", but the epochs count up from " + (firstEpoch + 1)
                    + " (the first session's first_epoch + 1), so it should be " + (firstEpoch + 1 + i));
        }
        if (e.session() < 0 || e.session() >= m.sessions().size()) {
            d.add(key + ".session is " + e.session() + ", but the record has " + m.sessions().size() + " session(s)");
        }
        if (i > 0 && e.firstStep() != m.epochs().get(i - 1).lastStep() + 1) {
            EpochRecord before = m.epochs().get(i - 1);
            d.add(key + ".first_step is " + e.firstStep() + ", but epochs[" + (i - 1) + "] covers steps "
                    + before.firstStep() + " to " + before.lastStep() + " (one per loss), so it should be "
                    + (before.lastStep() + 1));
        } else if (i == 0 && firstEpoch == 0 && e.firstStep() != 1) {
            d.add(key + ".first_step is " + e.firstStep() + ", but a run's first step is 1");
        }
        if (e.losses().isEmpty()) {
            d.add(key + ".losses is empty, but every epoch takes at least one step");
        }
        sha256(d, key + ".sample_order_sha256", e.sampleOrderSha256());
        List<Long> due = new ArrayList<>();
        for (int s = 0; s < e.losses().size(); s++) {
            if (Math.floorMod(e.firstStep() + s, (long) m.digestEvery()) == 0) {
                due.add(e.firstStep() + s);
            }
        }
        List<Long> digested = e.weightDigests().stream().map(StepDigest::step).toList();
        int k = 0;
        while (k < due.size() && k < digested.size() && due.get(k).equals(digested.get(k))) {
            k++;
        }
        if (k < due.size()) {
            d.add(key + ".weight_digests has no fingerprint of step " + due.get(k) + ", which digest_every "
                    + m.digestEvery() + " asks for"
                    + (k < digested.size() ? " (it has step " + digested.get(k) + " there)" : ""));
        } else if (k < digested.size()) {
            d.add(key + ".weight_digests has a fingerprint of step " + digested.get(k) + ", which digest_every "
                    + m.digestEvery() + " over the epoch's steps " + e.firstStep() + " to " + e.lastStep()
                    + " does not ask for");
        }
        for (int j = 0; j < e.weightDigests().size(); j++) {
            sha256(d, key + ".weight_digests[" + j + "].sha256", e.weightDigests().get(j).sha256());
        }
        sha256(d, key + ".weights_sha256", e.weightsSha256());
        sha256(d, key + ".optimizer_sha256", e.optimizerSha256());
        if (e.metrics() == null) {
            d.add(key + ".metrics is missing");
        }
    }

    /** Adds a phrase naming {@code key} if {@code value} is not a SHA-256. */
    private static void sha256(List<String> d, String key, String value) {
        if (value == null) {
            d.add(key + " is missing (or null)");
        } else if (!isSha256(value)) {
            d.add(key + " is \"" + (value.length() > 80 ? value.substring(0, 77) + "..." : value)
                    + "\", not a SHA-256 (64 lowercase hex digits)");
        }
    }

    /** True if {@code value} is a SHA-256 as Vista writes them: 64 lowercase hex digits. */
    static boolean isSha256(String value) {
        return value != null && value.matches("[0-9a-f]{64}");
    }
}

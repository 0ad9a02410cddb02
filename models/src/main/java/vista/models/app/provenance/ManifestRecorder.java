package vista.models.app.provenance;

import com.google.gson.Gson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import vista.data.DataLoader;
import vista.models.app.provenance.RunManifest.DataRecord;
import vista.models.app.provenance.RunManifest.EpochRecord;
import vista.models.app.provenance.RunManifest.StepDigest;
import vista.models.app.train.TrainConfig;
import vista.models.app.train.TrainingObserver;
import vista.nn.checkpoint.StateDigest;

/**
 * Keeps a run's {@link RunManifest} as it trains: writes it when a session starts (the config, seeds,
 * data files and the weights before the first step) and after every epoch (its sample order, every
 * step's loss, the weights' fingerprints of {@link WeightDigests}, the weights and optimiser after it,
 * its metrics), before the checkpoint, so that a resumed run finds a record for the checkpoint's epoch
 * and drops any later one. A resumed run whose manifest is missing is refused unless told to start a new,
 * partial one (it records only the epochs from the resume on, without the initial weights).
 */
final class ManifestRecorder implements TrainingObserver {
    private static final Gson GSON = new Gson();

    private final int requestedDigestEvery;
    private final boolean newManifestOnResume;
    private final RunManifest.Cluster cluster;
    private final List<Double> losses = new ArrayList<>();
    private final List<StepDigest> digests = new ArrayList<>();
    private Session session;
    private Path file;
    private RunManifest manifest;

    /**
     * A recorder that refuses to resume a run whose manifest is missing.
     *
     * @param digestEvery steps between two fingerprints of the weights, for a new run (a resumed run
     *                    keeps the value its manifest records)
     */
    ManifestRecorder(int digestEvery) {
        this(digestEvery, false);
    }

    /**
     * @param digestEvery         as {@link #ManifestRecorder(int)}
     * @param newManifestOnResume whether a resumed run whose manifest is missing starts a new one
     *                            ({@code --new-manifest}) instead of being refused; a resumed run that has
     *                            its manifest is then refused, since nothing would be new
     */
    ManifestRecorder(int digestEvery, boolean newManifestOnResume) {
        this(digestEvery, newManifestOnResume, null);
    }

    /**
     * @param cluster the workers, when recording worker 0 of a {@code --cluster} session (null for one
     *                process)
     */
    ManifestRecorder(int digestEvery, boolean newManifestOnResume, RunManifest.Cluster cluster) {
        this.requestedDigestEvery = digestEvery;
        this.newManifestOnResume = newManifestOnResume;
        this.cluster = cluster;
    }

    /**
     * Starts the manifest of a new run, or continues that of a resumed one.
     *
     * @throws IllegalStateException if a resumed run's manifest records other weights for the checkpoint's
     *     epoch, or other data files, than the checkpoint and the data now; if a resumed run's manifest is
     *     missing and no new one was asked for, or is there and a new one was asked for
     */
    @Override
    public boolean sessionStarted(Session s) throws IOException {
        session = s;
        file = s.run().manifest();
        DataRecord data = ManifestParts.dataRecord(s.data(), s.facts());
        String weights = StateDigest.sha256(s.model());
        boolean recorded = Files.exists(file);
        if (s.resumed() && !recorded && !newManifestOnResume) {
            throw new IllegalStateException(file + " is missing, so resuming would start a partial manifest that"
                    + " records only the epochs after epoch " + s.firstEpoch() + ", without the run's initial weights"
                    + " (vista replay could not replay the run); put the run's manifest.json back, or pass"
                    + " --new-manifest to resume with a partial manifest");
        }
        if (s.resumed() && recorded && newManifestOnResume) {
            throw new IllegalStateException("--new-manifest starts a manifest for a run whose manifest.json is"
                    + " missing, but " + file + " exists; resume without --new-manifest to continue it");
        }
        manifest = !s.resumed() ? fresh(s.config(), data, 0, weights, null)
                : recorded ? continued(data, s.firstEpoch(), weights)
                : fresh(s.config(), data, s.firstEpoch(), null, weights);
        manifest.write(file);
        return true;
    }

    /**
     * A manifest without epochs whose first session starts after epoch {@code firstEpoch}, with the given
     * initial weights (null if unknown: a run resumed from a checkpoint written without a manifest) and
     * current weights (null before the first epoch).
     */
    private RunManifest fresh(TrainConfig config, DataRecord data, int firstEpoch, String initialWeights,
                              String currentWeights) {
        return new RunManifest(RunManifest.FORMAT, List.of(ManifestParts.thisSession(firstEpoch, cluster)),
                GSON.toJsonTree(config.toJson()).getAsJsonObject(), ManifestParts.seeds(config), data,
                requestedDigestEvery, initialWeights, List.of(), currentWeights, false);
    }

    /** The manifest in {@link #file}, resumed after {@code epoch} with weights of SHA-256 {@code weights}. */
    private RunManifest continued(DataRecord dataNow, int epoch, String weights) throws IOException {
        RunManifest old = RunManifest.read(file);
        EpochRecord last = old.epoch(epoch);
        String recorded = epoch == 0 ? old.initialWeightsSha256() : last == null ? null : last.weightsSha256();
        if (recorded != null && !recorded.equals(weights)) {
            throw new IllegalStateException("the checkpoint's weights (SHA-256 " + weights + ") are not those " + file
                    + " records after epoch " + epoch + " (" + recorded + "): the checkpoint and the manifest belong to"
                    + " different runs; restore the matching pair, or start a new run with another --out");
        }
        List<String> changed = ManifestParts.changedFiles(old.data().files(), dataNow.files());
        if (!changed.isEmpty()) {
            throw new IllegalStateException("the data differs from what " + file + " records (" + String.join("; ",
                    changed) + "); resume with the same data, or start a new run with another --out");
        }
        return old.resumedAfter(epoch, ManifestParts.thisSession(epoch, cluster));
    }

    @Override
    public void stepFinished(Step step) {
        losses.add(step.loss());
    }

    /** Records the weights' fingerprint after a step of the current epoch. */
    void weightsDigested(StepDigest digest) {
        digests.add(digest);
    }

    /** Appends the epoch's record and writes the manifest. */
    @Override
    public void epochFinished(Epoch e) throws IOException {
        DataLoader train = session.train();
        EpochRecord record = new EpochRecord(e.epoch(), manifest.sessions().size() - 1,
                train.shuffleSeed(e.epoch() - 1), train.samplesPerEpoch(),
                Digests.ints(train.sampleOrder(e.epoch() - 1)), e.firstStep(), losses, digests,
                StateDigest.sha256(e.model()), StateDigest.sha256(e.optimizer().stateDict()),
                GSON.toJsonTree(e.metrics()).getAsJsonObject());
        manifest = manifest.withEpoch(record, e.epoch() >= session.config().epochs());
        manifest.write(file);
        losses.clear();
        digests.clear();
    }

    /** Steps between two fingerprints of the weights (the recorded value, for a resumed run). */
    int digestEvery() {
        return manifest.digestEvery();
    }

    /** The manifest as last written. */
    RunManifest manifest() {
        return manifest;
    }

    /** The record of the last finished epoch (null before the first). */
    EpochRecord lastEpoch() {
        List<EpochRecord> epochs = manifest.epochs();
        return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
    }
}

package vista.models.app.provenance;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import vista.models.app.provenance.RunManifest.DataFile;
import vista.models.app.provenance.RunManifest.DataRecord;
import vista.models.app.provenance.RunManifest.EpochRecord;
import vista.models.app.provenance.RunManifest.Seeds;
import vista.models.app.provenance.RunManifest.Session;
import vista.models.app.train.DataFacts;
import vista.models.app.train.TrainConfig;
import vista.models.app.train.TrainingData;
import vista.tensor.runtime.Kernels;
import vista.tensor.runtime.Vectors;
import vista.tensor.runtime.Parallel;

/**
 * Keeps a run's {@link RunManifest} up to date: writes it when a session starts and after every epoch
 * (before the checkpoint, so that a resumed run finds a record for the checkpoint's epoch and drops any
 * later one).
 */
public final class ManifestRecorder {
    private static final Gson GSON = new Gson();

    private final Path file;
    private RunManifest manifest;

    private ManifestRecorder(Path file, RunManifest manifest) throws IOException {
        this.file = file;
        this.manifest = manifest;
        manifest.write(file);
    }

    /** Starts the manifest of a new run, whose weights before the first step have the SHA-256 {@code initialWeights}. */
    public static ManifestRecorder start(Path file, TrainConfig config, int digestEvery, Seeds seeds, TrainingData data,
                                  DataFacts facts, String initialWeights) throws IOException {
        return new ManifestRecorder(file, fresh(config, digestEvery, seeds, dataRecord(data, facts), 0, initialWeights,
                null));
    }

    /**
     * A manifest without epochs whose first session starts after epoch {@code firstEpoch}, with the given
     * initial weights (null if unknown) and current weights (null before the first epoch).
     */
    private static RunManifest fresh(TrainConfig config, int digestEvery, Seeds seeds, DataRecord data, int firstEpoch,
                                     String initialWeights, String currentWeights) {
        return new RunManifest(RunManifest.FORMAT, List.of(thisSession(firstEpoch)),
                GSON.toJsonTree(config.toJson()).getAsJsonObject(), seeds, data, digestEvery, initialWeights, List.of(),
                currentWeights, false);
    }

    /**
     * Continues the manifest of a run resumed after epoch {@code epoch} with weights of SHA-256
     * {@code weights}: drops records after that epoch and adds this session. A run whose checkpoint was
     * written without a manifest gets one that starts at {@code epoch}, without initial weights.
     *
     * @throws IllegalStateException if the manifest's record of {@code epoch} has other weights, or its
     *     data files other contents, than the checkpoint and the data now
     */
    public static ManifestRecorder resume(Path file, TrainConfig config, int digestEvery, Seeds seeds, TrainingData data,
                                   DataFacts facts, int epoch, String weights) throws IOException {
        DataRecord dataNow = dataRecord(data, facts);
        if (!Files.exists(file)) {
            return new ManifestRecorder(file, fresh(config, digestEvery, seeds, dataNow, epoch, null, weights));
        }
        RunManifest old = RunManifest.read(file);
        EpochRecord last = old.epoch(epoch);
        String recorded = epoch == 0 ? old.initialWeightsSha256() : last == null ? null : last.weightsSha256();
        if (recorded != null && !recorded.equals(weights)) {
            throw new IllegalStateException("the checkpoint's weights (SHA-256 " + weights + ") are not those " + file
                    + " records after epoch " + epoch + " (" + recorded + "): the checkpoint and the manifest belong to"
                    + " different runs; restore the matching pair, or start a new run with another --out");
        }
        List<String> changed = changedFiles(old.data().files(), dataNow.files());
        if (!changed.isEmpty()) {
            throw new IllegalStateException("the data differs from what " + file + " records (" + String.join("; ",
                    changed) + "); resume with the same data, or start a new run with another --out");
        }
        return new ManifestRecorder(file, old.resumedAfter(epoch, thisSession(epoch)));
    }

    /** The index of this session in the manifest's sessions. */
    public int session() {
        return manifest.sessions().size() - 1;
    }

    /** Steps between two fingerprints of the weights (the recorded value, for a resumed run). */
    public int digestEvery() {
        return manifest.digestEvery();
    }

    /** The manifest as last written. */
    public RunManifest manifest() {
        return manifest;
    }

    /** The record of the last finished epoch (null before the first). */
    public RunManifest.EpochRecord lastEpoch() {
        List<EpochRecord> epochs = manifest.epochs();
        return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
    }

    /** Appends {@code epoch} and writes the manifest. */
    public void epochEnded(EpochRecord epoch, boolean finished) throws IOException {
        manifest = manifest.withEpoch(epoch, finished);
        manifest.write(file);
    }

    /** The data record of {@code data}: its files with their sizes and SHA-256, and {@code facts}. */
    static DataRecord dataRecord(TrainingData data, DataFacts facts) throws IOException {
        List<DataFile> files = new ArrayList<>();
        for (Path path : data.files()) {
            files.add(new DataFile(path.toAbsolutePath().toString(), Files.size(path), Digests.file(path)));
        }
        JsonObject factsJson = GSON.toJsonTree(facts.toJson()).getAsJsonObject();
        return new DataRecord(data.spec(), files, factsJson);
    }

    /** Each file of {@code recorded} whose size or SHA-256 differs in {@code now}, as a phrase; empty if none. */
    static List<String> changedFiles(List<DataFile> recorded, List<DataFile> now) {
        List<String> changed = new ArrayList<>();
        if (recorded.size() != now.size()) {
            changed.add(now.size() + " files are read now, " + recorded.size() + " were recorded");
            return changed;
        }
        for (int i = 0; i < recorded.size(); i++) {
            DataFile a = recorded.get(i);
            DataFile b = now.get(i);
            if (!a.sha256().equals(b.sha256()) || a.bytes() != b.bytes()) {
                changed.add(b.path() + " has " + b.bytes() + " bytes of SHA-256 " + b.sha256() + " now; " + a.path()
                        + " had " + a.bytes() + " bytes of SHA-256 " + a.sha256());
            }
        }
        return changed;
    }

    /** The software and machine of this process, training from epoch {@code firstEpoch} on. */
    static Session thisSession(int firstEpoch) {
        String version = ManifestRecorder.class.getPackage().getImplementationVersion();
        String commit = System.getProperty("vista.git.commit");
        String dirty = System.getProperty("vista.git.dirty");
        return new Session(firstEpoch, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                version == null ? "development build" : version, commit == null || commit.isBlank() ? null : commit,
                dirty == null || dirty.isBlank() ? null : Boolean.valueOf(dirty), System.getProperty("java.vm.vendor"),
                Runtime.version().toString(), System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), Vectors.FLOAT.toString(),
                Vectors.FLOAT.vectorBitSize(), Kernels.FAST ? "fast" : "reference", Parallel.threads());
    }
}

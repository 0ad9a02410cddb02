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
import vista.models.app.provenance.RunManifest.Seeds;
import vista.models.app.provenance.RunManifest.Session;
import vista.models.app.provenance.RunManifest.Stream;
import vista.models.app.train.DataFacts;
import vista.models.app.train.TrainConfig;
import vista.models.app.train.TrainingData;
import vista.tensor.Rng;
import vista.tensor.runtime.Kernels;
import vista.tensor.runtime.Parallel;
import vista.tensor.runtime.Vectors;

/**
 * The parts of a {@link RunManifest} gathered from this process and its run: the session (software and
 * machine), the random streams and the data files; and how two records of data files differ.
 */
final class ManifestParts {
    private static final Gson GSON = new Gson();

    private ManifestParts() {
    }

    /** The software and machine of this process, training from epoch {@code firstEpoch} on. */
    static Session thisSession(int firstEpoch) {
        String version = ManifestParts.class.getPackage().getImplementationVersion();
        String commit = System.getProperty("vista.git.commit");
        String dirty = System.getProperty("vista.git.dirty");
        return new Session(firstEpoch, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                version == null ? "development build" : version, commit == null || commit.isBlank() ? null : commit,
                dirty == null || dirty.isBlank() ? null : Boolean.valueOf(dirty), System.getProperty("java.vm.vendor"),
                Runtime.version().toString(), System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), Vectors.FLOAT.toString(),
                Vectors.FLOAT.vectorBitSize(), Kernels.FAST ? "fast" : "reference", Parallel.threads());
    }

    /**
     * The run's random streams: each is split from the seed by name ({@link Rng#split(String)}) or by
     * number ({@link Rng#split(long)}), exactly as {@link vista.models.app.train.Trainer} and the
     * {@link vista.data.DataLoader} derive them.
     */
    static Seeds seeds(TrainConfig config) {
        Rng root = new Rng(config.seed());
        return new Seeds(config.seed(), List.of(
                new Stream("init", "seed.split(\"init\")", root.split("init").seed(),
                        "the model's initial weights (ModelZoo, in module order)"),
                new Stream("data", "seed.split(\"data\")", root.split("data").seed(),
                        "the training loader; the two families below split from it"),
                new Stream("shuffle", "seed.split(\"data\").split(\"shuffle\").split(epoch)", null,
                        "epoch e's sample order (Fisher-Yates; epochs counted from 0; each epoch's seed is in"
                                + " its record)"),
                new Stream("augment",
                        "seed.split(\"data\").split(\"augment\").split(epoch).split(sample).split(transform)", null,
                        "random crop and flip of one training image in one epoch"),
                new Stream("test data", "seed.split(\"test data\")", root.split("test data").seed(),
                        "the test loader, which neither shuffles nor augments, so draws nothing")));
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
}

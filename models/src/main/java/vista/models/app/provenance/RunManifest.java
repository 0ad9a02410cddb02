package vista.models.app.provenance;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import vista.models.app.train.DataFacts;
import vista.models.app.train.JsonFiles;
import vista.models.app.train.RunDirectory;
import vista.models.app.train.TrainConfig;
import vista.nn.checkpoint.AtomicFiles;
import vista.nn.checkpoint.Checkpoint;

/**
 * {@code manifest.json}: what went into a training run and what came out, for an auditor to check and
 * for {@code vista replay} to re-create bit for bit. Written by {@link ManifestRecorder} when a run
 * starts and after every epoch, atomically ({@link AtomicFiles}: a new temporary file renamed into place).
 *
 * <p>Keys (snake case; record components below in camel case):
 * <ul>
 *   <li>{@code format}: {@value #FORMAT};</li>
 *   <li>{@code sessions}: one {@link Session} per process that trained the run (a resumed run has
 *       several): Vista's version and git commit if known, the JDK, OS and architecture, the vector
 *       species the kernels used, the kernel implementation and the thread count;</li>
 *   <li>{@code config}: the complete resolved {@link TrainConfig} (every option that shapes the result,
 *       defaults included);</li>
 *   <li>{@code seeds}: the seed and every random stream derived from it ({@link Seeds});</li>
 *   <li>{@code data}: the {@code --data} string, each file read with its size and SHA-256, and the
 *       {@link DataFacts};</li>
 *   <li>{@code digest_every}: the weights are fingerprinted after every this many optimiser steps
 *       (and after every epoch);</li>
 *   <li>{@code initial_weights_sha256}: the model's state dict before the first step
 *       ({@link vista.nn.checkpoint.StateDigest});</li>
 *   <li>{@code epochs}: one {@link EpochRecord} per finished epoch;</li>
 *   <li>{@code final_weights_sha256}: the state dict after the last finished epoch (null before the
 *       first), and {@code finished}: whether every epoch of the config is done.</li>
 * </ul>
 *
 * @param format               {@value #FORMAT}
 * @param sessions             the processes that trained the run, in order
 * @param config               {@link TrainConfig#toJson()}
 * @param seeds                the seed and its derived streams
 * @param data                 the data read
 * @param digestEvery          steps between two fingerprints of the weights
 * @param initialWeightsSha256 the weights before the first step; null if the run was resumed from a
 *                             checkpoint written without a manifest
 * @param epochs               the finished epochs
 * @param finalWeightsSha256   the weights after the last finished epoch
 * @param finished             true once every epoch of the config is done
 */
public record RunManifest(String format, List<Session> sessions, JsonObject config, Seeds seeds, DataRecord data,
                          int digestEvery, String initialWeightsSha256, List<EpochRecord> epochs,
                          String finalWeightsSha256, boolean finished) {
    /** The value of {@code format}. */
    public static final String FORMAT = "vista-run-manifest/1";
    /** The manifest's file name in a run folder. */
    public static final String FILE = RunDirectory.MANIFEST;

    private static final Gson GSON = new GsonBuilder().setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
            .serializeNulls().setPrettyPrinting().disableHtmlEscaping().create();

    public RunManifest {
        sessions = sessions == null ? null : List.copyOf(sessions);
        epochs = epochs == null ? null : List.copyOf(epochs);
    }

    /**
     * The software and machine of one training process.
     *
     * @param firstEpoch    epochs already finished when this process started (0 for the first)
     * @param startedAt     when it started, ISO-8601 UTC
     * @param vistaVersion  the jar's version, or "development build"
     * @param gitCommit     the commit the program was built from, if the launcher knew it (else null)
     * @param gitDirty      whether that checkout had uncommitted changes (null if unknown)
     * @param jdkVendor     {@code java.vm.vendor}
     * @param jdkVersion    {@code Runtime.version()}
     * @param os            {@code os.name} and {@code os.version}
     * @param arch          {@code os.arch}
     * @param processors    processors the JVM saw
     * @param vectorSpecies the float species of the fast kernels, e.g. {@code Species[float, 16, S_512_BIT]}
     * @param vectorBits    its width in bits
     * @param kernels       {@code fast} or {@code reference} ({@link vista.tensor.runtime.Kernels})
     * @param threads       the kernels' thread count
     * @param cluster       the workers of a {@code --cluster} session, or null for one process
     */
    public record Session(int firstEpoch, String startedAt, String vistaVersion, String gitCommit, Boolean gitDirty,
                          String jdkVendor, String jdkVersion, String os, String arch, int processors,
                          String vectorSpecies, int vectorBits, String kernels, int threads, Cluster cluster) {

        /** The session of one process (no cluster). */
        public Session(int firstEpoch, String startedAt, String vistaVersion, String gitCommit, Boolean gitDirty,
                       String jdkVendor, String jdkVersion, String os, String arch, int processors,
                       String vectorSpecies, int vectorBits, String kernels, int threads) {
            this(firstEpoch, startedAt, vistaVersion, gitCommit, gitDirty, jdkVendor, jdkVersion, os, arch, processors,
                    vectorSpecies, vectorBits, kernels, threads, null);
        }
        /** One line for people: software, machine, vectors, kernels and threads. */
        public String summary() {
            return (cluster == null ? "" : "worker 0 of " + cluster.worldSize() + ": ") + "Vista " + vistaVersion
                    + (gitCommit == null ? "" : " at " + gitCommit
                    + (Boolean.TRUE.equals(gitDirty) ? " (with uncommitted changes)" : "")) + ", " + jdkVendor + " "
                    + jdkVersion + ", " + os + " " + arch + ", " + vectorBits + "-bit vectors, " + kernels
                    + " kernels, " + threads + (threads == 1 ? " thread" : " threads");
        }
    }

    /**
     * The workers of a session of {@code vista train --cluster}; the fields above describe worker 0, which
     * wrote the manifest. The config's {@code shards} are spread over the workers, S / W each.
     *
     * @param worldSize the number of workers W
     * @param members   each worker's address, by rank
     * @param workers   each worker's software and machine ({@link Session#summary()}), by rank
     */
    public record Cluster(int worldSize, List<String> members, List<String> workers) {
        public Cluster {
            members = members == null ? null : Collections.unmodifiableList(new ArrayList<>(members));
            workers = workers == null ? null : Collections.unmodifiableList(new ArrayList<>(workers));
        }
    }

    /**
     * The run's randomness: one seed, and streams split from it by name ({@link vista.tensor.Rng#split}).
     *
     * @param seed    {@code --seed}
     * @param streams each consumer's stream
     */
    public record Seeds(long seed, List<Stream> streams) {
    }

    /**
     * One random stream.
     *
     * @param name       the consumer
     * @param derivation how it is split from the seed, as code
     * @param seed       its seed, if it is one stream (null for a family, such as one stream per epoch)
     * @param usedFor    what it decides
     */
    public record Stream(String name, String derivation, Long seed, String usedFor) {
    }

    /**
     * The data of the run.
     *
     * @param spec  {@code --data}
     * @param files every file read, training files first
     * @param facts {@link DataFacts#toJson()}: geometry, sample counts, normalisation
     */
    public record DataRecord(String spec, List<DataFile> files, JsonObject facts) {
    }

    /**
     * One data file.
     *
     * @param path   where it was read
     * @param bytes  its size
     * @param sha256 the SHA-256 of its bytes as stored
     */
    public record DataFile(String path, long bytes, String sha256) {
    }

    /**
     * One finished epoch.
     *
     * @param epoch             the epoch, from 1
     * @param session           the index in {@code sessions} of the process that trained it
     * @param shuffleSeed       the seed of the epoch's shuffle
     * @param samples           training samples the epoch visited
     * @param sampleOrderSha256 SHA-256 of the visited sample indices in order (little-endian int32 each)
     * @param firstStep         the first optimiser step of the epoch, counted from 1 over the run
     * @param losses            the training loss of each step of the epoch, in order
     * @param weightDigests     the weights' SHA-256 after every {@code digest_every}-th step of the run
     * @param weightsSha256     the weights after the epoch
     * @param optimizerSha256   the optimiser's state after the epoch (SGD velocities)
     * @param metrics           the epoch's line of {@code metrics.jsonl}
     */
    public record EpochRecord(int epoch, int session, long shuffleSeed, int samples, String sampleOrderSha256,
                              long firstStep, List<Double> losses, List<StepDigest> weightDigests, String weightsSha256,
                              String optimizerSha256, JsonObject metrics) {
        public EpochRecord {
            losses = losses == null ? List.of() : List.copyOf(losses);
            weightDigests = weightDigests == null ? List.of() : List.copyOf(weightDigests);
        }

        /** The epoch's last optimiser step. */
        public long lastStep() {
            return firstStep + losses.size() - 1;
        }
    }

    /**
     * The weights' fingerprint after one step.
     *
     * @param step   the optimiser step, counted from 1 over the run
     * @param sha256 the SHA-256 of the state dict after it
     */
    public record StepDigest(long step, String sha256) {
    }

    /** This manifest with {@code epoch} appended (and the final weights and {@code finished} updated). */
    RunManifest withEpoch(EpochRecord epoch, boolean finishedNow) {
        List<EpochRecord> more = new ArrayList<>(epochs);
        more.add(epoch);
        return new RunManifest(format, sessions, config, seeds, data, digestEvery, initialWeightsSha256, more,
                epoch.weightsSha256(), finishedNow);
    }

    /**
     * This manifest as a resumed session sees it: the epochs after {@code epoch} dropped (a run stopped
     * after writing its manifest but before its checkpoint redoes them) and {@code session} appended.
     */
    RunManifest resumedAfter(int epoch, Session session) {
        List<EpochRecord> kept = epochs.stream().filter(e -> e.epoch() <= epoch).toList();
        List<Session> more = new ArrayList<>(sessions);
        more.add(session);
        String last = kept.isEmpty() ? initialWeightsSha256 : kept.get(kept.size() - 1).weightsSha256();
        return new RunManifest(format, more, config, seeds, data, digestEvery, initialWeightsSha256, kept, last, false);
    }

    /** The record of epoch {@code epoch} (from 1), or null if there is none. */
    public EpochRecord epoch(long epoch) {
        return epochs.stream().filter(e -> e.epoch() == epoch).findFirst().orElse(null);
    }

    /** The recorded configuration. */
    public TrainConfig trainConfig() {
        return TrainConfig.fromJson(config);
    }

    /**
     * What is wrong with this record on its own, each as a phrase that names its key
     * ({@link ManifestDefects}); empty for every manifest Vista writes.
     */
    public List<String> defects() {
        return ManifestDefects.of(this);
    }

    /** Writes this manifest to {@code file} (pretty-printed JSON) atomically ({@link AtomicFiles}). */
    void write(Path file) throws IOException {
        AtomicFiles.writeString(file, GSON.toJson(this) + "\n");
    }

    /**
     * Reads a manifest and checks its structure (not its values: see {@link #defects()}).
     *
     * @throws IOException naming the file if it is missing, a folder, a checkpoint, not UTF-8 text, not
     *     JSON, not a Vista run manifest, incomplete, or holds a null in a list or a {@code digest_every}
     *     below 1
     */
    public static RunManifest read(Path file) throws IOException {
        Path where = file.toAbsolutePath();
        String text = text(where);
        if (text.isBlank()) {
            throw new IOException(where + " is empty, not a run manifest; give the run's " + FILE
                    + ", in its --out folder");
        }
        JsonElement tree;
        try {
            tree = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new IOException(where + " is not a readable run manifest (" + JsonFiles.reason(e) + ")", e);
        }
        JsonElement format = tree.isJsonObject() ? tree.getAsJsonObject().get("format") : null;
        if (format == null || !format.isJsonPrimitive() || !FORMAT.equals(format.getAsString())) {
            throw new IOException(where + " is not a Vista run manifest: its \"format\" is "
                    + (format == null ? "missing" : "'" + (format.isJsonPrimitive() ? format.getAsString() : format)
                    + "'") + ", expected '" + FORMAT + "'");
        }
        String nullAt = nullInList(tree, "");
        if (nullAt != null) {
            throw new IOException(where + " is damaged: " + nullAt + " is null, where a run manifest holds a value");
        }
        RunManifest manifest;
        try {
            manifest = GSON.fromJson(tree, RunManifest.class);
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new IOException(where + " is not a readable run manifest (" + JsonFiles.reason(e) + ")", e);
        }
        if (manifest.config() == null || manifest.seeds() == null || manifest.seeds().streams() == null
                || manifest.data() == null || manifest.data().files() == null || manifest.data().facts() == null
                || manifest.sessions() == null || manifest.sessions().isEmpty() || manifest.epochs() == null) {
            throw new IOException(where + " is incomplete: a run manifest has config, seeds (with streams), data"
                    + " (with files and facts), at least one session, and epochs");
        }
        if (manifest.digestEvery() < 1) {
            throw new IOException(where + " is damaged: digest_every is " + manifest.digestEvery()
                    + ", but a run fingerprints its weights every 1 or more steps");
        }
        return manifest;
    }

    /** The file's text, with errors that say what was given instead of a manifest and what to give. */
    private static String text(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            Path inside = file.resolve(FILE);
            throw new IOException(file + " is a folder, not a run manifest; " + (Files.isRegularFile(inside)
                    ? "give the manifest in it: " + inside : "it holds no " + FILE + " (a run writes it into its"
                    + " --out folder)"));
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + " does not exist; a run's manifest.json is in its --out folder", e);
        } catch (AccessDeniedException e) {
            throw new IOException(file + " cannot be read: permission denied", e);
        }
        byte[] magic = Checkpoint.MAGIC.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length >= magic.length && Arrays.equals(bytes, 0, magic.length, magic, 0, magic.length)) {
            throw new IOException(file + " is a Vista checkpoint, not a run manifest; give the run's "
                    + file.resolveSibling(FILE) + " (written beside the checkpoint)");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not a run manifest: it is not UTF-8 text; give the run's " + FILE
                    + ", in its --out folder", e);
        }
    }

    /** The key of the first null in a list anywhere in {@code json}, such as {@code epochs[0].losses[3]}; or null. */
    private static String nullInList(JsonElement json, String key) {
        if (json.isJsonArray()) {
            JsonArray list = json.getAsJsonArray();
            for (int i = 0; i < list.size(); i++) {
                String at = key + "[" + i + "]";
                String inside = list.get(i).isJsonNull() ? at : nullInList(list.get(i), at);
                if (inside != null) {
                    return inside;
                }
            }
        } else if (json.isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : json.getAsJsonObject().entrySet()) {
                String inside = nullInList(e.getValue(), key.isEmpty() ? e.getKey() : key + "." + e.getKey());
                if (inside != null) {
                    return inside;
                }
            }
        }
        return null;
    }

    /** {@code value} as JSON in the manifest's style: snake-case keys, pretty-printed, nulls kept. */
    public static String json(Object value) {
        return GSON.toJson(value);
    }
}

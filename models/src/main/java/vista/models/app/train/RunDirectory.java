package vista.models.app.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vista.nn.Module;
import vista.nn.checkpoint.AtomicFiles;
import vista.nn.checkpoint.Checkpoint;
import vista.nn.optim.Sgd;
import vista.tensor.runtime.Parallel;

/**
 * The folder of one training run ({@code --out}) and the files in it:
 * <ul>
 *   <li>{@value #CONFIG}: every resolved option of the run, as one JSON object;</li>
 *   <li>{@value #METRICS}: one JSON object per line and per finished epoch, with the keys epoch, step,
 *       train_loss, train_acc, test_loss, test_acc, test_top5, lr, seconds and images_per_second (see
 *       {@link TrainingObserver.Epoch#metrics()});</li>
 *   <li>{@value #CHECKPOINT}: the last finished epoch's {@link Checkpoint}, replaced atomically after
 *       each epoch;</li>
 *   <li>{@value #MANIFEST}: the run's provenance ({@code vista.models.app.provenance.RunManifest}), replaced
 *       atomically when a session starts and after each epoch, just before the checkpoint.</li>
 * </ul>
 * Each is written through {@link AtomicFiles}: to a new temporary file of a random name, renamed over the
 * name, so a link planted at any name never leads a write out of the folder (an append rewrites the whole
 * file). A new run refuses a folder that holds any of these files; a session removes the temporary files a
 * killed process left behind ({@link #removeStaleTemporaries}).
 */
public final class RunDirectory {
    public static final String CONFIG = "config.json";
    public static final String METRICS = "metrics.jsonl";
    public static final String CHECKPOINT = "checkpoint.vckp";
    public static final String MANIFEST = "manifest.json";

    private static final Gson LINE = new Gson();
    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().create();
    private static final List<String> FILES = List.of(CONFIG, METRICS, CHECKPOINT, MANIFEST);

    private final Path root;

    public RunDirectory(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** The run's name for tables and legends: the folder's own name (the path as given for a root). */
    public String name() {
        Path name = root.toAbsolutePath().normalize().getFileName();
        return name == null ? root.toString() : name.toString();
    }

    public Path config() {
        return root.resolve(CONFIG);
    }

    public Path metrics() {
        return root.resolve(METRICS);
    }

    public Path checkpoint() {
        return root.resolve(CHECKPOINT);
    }

    public Path manifest() {
        return root.resolve(MANIFEST);
    }

    /**
     * The problem with {@code out} as a run folder, as a sentence, or null if there is none: an empty
     * name would put the run's files in the current folder without saying so.
     */
    public static String folderProblem(Path out) {
        return out.toString().isEmpty() ? "--out is empty; name the run's folder, e.g. --out runs/first (or --out ."
                + " for the current folder)." : null;
    }

    /**
     * Makes the folder for a new run.
     *
     * @throws IOException if it is a file, already holds any of the run files (the message says to resume,
     *     or to choose another folder or delete the files), or cannot be created
     */
    void createForNewRun() throws IOException {
        requireFolderOrNothing();
        List<String> present = FILES.stream().filter(name -> Files.exists(root.resolve(name), LinkOption.NOFOLLOW_LINKS))
                .toList();
        if (present.contains(CHECKPOINT)) {
            throw new IOException(root + " already holds a training run (" + CHECKPOINT + "); pass --resume to continue"
                    + " it, or choose another --out folder for a new run");
        }
        if (!present.isEmpty()) {
            throw new IOException(root + " already holds another run's " + String.join(" and ", present) + " (but no "
                    + CHECKPOINT + " to resume); choose a new --out folder, or delete " + (present.size() == 1
                    ? "that file" : "those files") + " to start a new run there");
        }
        AtomicFiles.createFolders(root);
    }

    /**
     * Reads the run's checkpoint, with a message that says what to do if there is none, or if the folder
     * or one of its files' names is not what a run folder holds.
     */
    public Checkpoint readCheckpoint() throws IOException {
        requireFolderOrNothing();
        for (String name : FILES) {
            Path file = root.resolve(name);
            if (Files.isDirectory(file)) {
                throw new IOException(file + " is a folder, but a run writes " + name + " as a file; move that folder"
                        + " away, then resume again");
            }
        }
        if (!Files.isRegularFile(checkpoint())) {
            throw new IOException("there is no checkpoint to resume from: " + checkpoint() + " does not exist"
                    + " (a run writes it at the end of its first epoch); run without --resume to start a new run");
        }
        return Checkpoint.read(checkpoint());
    }

    private void requireFolderOrNothing() throws IOException {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new IOException(root + " is a file, not a folder; --out names the run's folder (created if needed),"
                    + " so choose another --out");
        }
    }

    /**
     * Deletes the temporary files of the run's files that a process killed while writing left behind
     * ({@link AtomicFiles#removeStaleTemporaries}); a session calls it before it writes.
     */
    void removeStaleTemporaries() throws IOException {
        AtomicFiles.removeStaleTemporaries(root, FILES);
    }

    /**
     * Writes {@value #CONFIG} (pretty-printed) atomically ({@link AtomicFiles}): the config, the
     * data facts, and how this session runs (threads, folder, {@code --stop-after-epoch}).
     */
    void writeConfig(TrainConfig config, DataFacts facts, int stopAfterEpoch) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>(config.toJson());
        json.putAll(facts.toJson());
        json.put("threads", Parallel.threads());
        json.put("out", root.toString());
        json.put("stop_after_epoch", stopAfterEpoch);
        AtomicFiles.writeString(config(), PRETTY.toJson(json) + "\n");
    }

    /**
     * Replaces {@value #CHECKPOINT} with the state after epoch {@code epoch} and step {@code step}: the
     * config and data facts, the seed, the model's state dict and the optimiser's.
     */
    void writeCheckpoint(TrainConfig config, DataFacts facts, int epoch, long step, Module model, Sgd sgd)
            throws IOException {
        Map<String, String> stored = new LinkedHashMap<>(config.toMap());
        stored.putAll(facts.toMap());
        new Checkpoint(stored, epoch, step, Map.of("seed", config.seed()), model.stateDict(), sgd.stateDict())
                .write(checkpoint());
    }

    /** Appends one line to {@value #METRICS} ({@link AtomicFiles#append}: the file is replaced, not written in place). */
    void appendMetrics(Map<String, Object> values) throws IOException {
        AtomicFiles.append(metrics(), LINE.toJson(values) + "\n");
    }

    /**
     * Drops the lines of {@value #METRICS} for epochs after {@code epoch}: on resume, a run continues from
     * its checkpoint, and a line written after it (by a run stopped between writing the two) is replaced.
     */
    void keepMetricsUpTo(long epoch) throws IOException {
        if (!Files.exists(metrics())) {
            return;
        }
        StringBuilder kept = new StringBuilder();
        List<String> lines = Files.readAllLines(metrics(), StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            long lineEpoch;
            try {
                JsonObject json = JsonParser.parseString(line).getAsJsonObject();
                lineEpoch = json.has("epoch") ? json.get("epoch").getAsLong() : -1;
            } catch (JsonParseException | IllegalStateException | UnsupportedOperationException
                     | NumberFormatException e) {
                lineEpoch = -1;
            }
            if (lineEpoch < 0) {
                throw new IOException(metrics() + ": line " + (i + 1) + " is not a JSON object with an epoch ("
                        + line + "); repair or delete the line, then resume again");
            }
            if (lineEpoch <= epoch) {
                kept.append(line).append('\n');
            }
        }
        AtomicFiles.writeString(metrics(), kept.toString());
    }
}

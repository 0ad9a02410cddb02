package vista.models.app.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vista.nn.Module;
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
 */
public final class RunDirectory {
    public static final String CONFIG = "config.json";
    public static final String METRICS = "metrics.jsonl";
    public static final String CHECKPOINT = "checkpoint.vckp";
    public static final String MANIFEST = "manifest.json";

    private static final Gson LINE = new Gson();
    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().create();

    private final Path root;

    public RunDirectory(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
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
     * Makes the folder for a new run.
     *
     * @throws IOException if it already holds a run's checkpoint or metrics (the message says to resume
     *     or choose another folder), or cannot be created
     */
    void createForNewRun() throws IOException {
        if (Files.exists(checkpoint()) || Files.exists(metrics())) {
            throw new IOException(root + " already holds a training run (" + CHECKPOINT + " or " + METRICS
                    + "); pass --resume to continue it, or choose another --out folder for a new run");
        }
        Files.createDirectories(root);
    }

    /** Reads the run's checkpoint, with a message that says what to do if there is none. */
    public Checkpoint readCheckpoint() throws IOException {
        if (!Files.isRegularFile(checkpoint())) {
            throw new IOException("there is no checkpoint to resume from: " + checkpoint() + " does not exist"
                    + " (a run writes it at the end of its first epoch); run without --resume to start a new run");
        }
        return Checkpoint.read(checkpoint());
    }

    /**
     * Writes {@value #CONFIG} (pretty-printed) through a temporary file renamed into place: the config, the
     * data facts, and how this session runs (threads, folder, {@code --stop-after-epoch}).
     */
    void writeConfig(TrainConfig config, DataFacts facts, int stopAfterEpoch) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>(config.toJson());
        json.putAll(facts.toJson());
        json.put("threads", Parallel.threads());
        json.put("out", root.toString());
        json.put("stop_after_epoch", stopAfterEpoch);
        Path temporary = root.resolve("." + CONFIG + ".tmp");
        Files.writeString(temporary, PRETTY.toJson(json) + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, config(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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

    /** Appends one line to {@value #METRICS}. */
    void appendMetrics(Map<String, Object> values) throws IOException {
        Files.writeString(metrics(), LINE.toJson(values) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Drops the lines of {@value #METRICS} for epochs after {@code epoch}: on resume, a run continues from
     * its checkpoint, and a line written after it (by a run stopped between writing the two) is replaced.
     */
    void keepMetricsUpTo(long epoch) throws IOException {
        if (!Files.exists(metrics())) {
            return;
        }
        List<String> kept = new ArrayList<>();
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
                kept.add(line);
            }
        }
        Files.write(metrics(), kept, StandardCharsets.UTF_8);
    }
}

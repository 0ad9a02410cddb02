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
import java.util.List;
import java.util.Map;
import vista.models.app.provenance.RunManifest;
import vista.nn.checkpoint.Checkpoint;

/**
 * The folder of one training run ({@code --out}) and the files in it:
 * <ul>
 *   <li>{@value #CONFIG}: every resolved option of the run, as one JSON object;</li>
 *   <li>{@value #METRICS}: one JSON object per line and per finished epoch, with the keys epoch, step,
 *       train_loss, train_acc, test_loss, test_acc, lr, seconds and images_per_second (see
 *       {@link Trainer});</li>
 *   <li>{@value #CHECKPOINT}: the last finished epoch's {@link Checkpoint}, replaced atomically after
 *       each epoch;</li>
 *   <li>{@code manifest.json}: the run's provenance ({@link RunManifest}), replaced atomically when a
 *       session starts and after each epoch, just before the checkpoint.</li>
 * </ul>
 */
public final class RunDirectory {
    public static final String CONFIG = "config.json";
    public static final String METRICS = "metrics.jsonl";
    public static final String CHECKPOINT = "checkpoint.vckp";

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

    /** The run's {@link RunManifest}. */
    public Path manifest() {
        return root.resolve(RunManifest.FILE);
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

    /** Writes {@value #CONFIG} (pretty-printed) through a temporary file renamed into place. */
    void writeConfig(Map<String, Object> config) throws IOException {
        Path temporary = root.resolve("." + CONFIG + ".tmp");
        Files.writeString(temporary, PRETTY.toJson(config) + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, config(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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

package vista.models.app.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.data.Shuffle;
import vista.models.app.cli.Cli;
import vista.models.app.provenance.RunManifest.EpochRecord;
import vista.models.app.train.RunDirectory;
import vista.models.app.train.SmallDataSets;
import vista.models.app.train.TrainConfig;
import vista.models.zoo.ModelZoo;
import vista.nn.checkpoint.Checkpoint;
import vista.nn.checkpoint.StateDigest;
import vista.tensor.Rng;
import vista.tensor.runtime.Vectors;
import vista.tensor.runtime.Parallel;

/**
 * The run manifest of {@code vista train}, {@code vista replay} and {@code vista verify}, on one recorded
 * run: resnet26-mini on 64 striped 16x16 images, 2 epochs of 4 steps, weights fingerprinted every 3
 * steps, trained on 2 threads.
 */
class RunManifestTest {
    private static final int THREADS = Parallel.threads();
    private static final long SEED = 9;

    @TempDir
    static Path shared;
    private static Path data;
    private static Path recorded;

    @TempDir
    Path tmp;

    @BeforeAll
    static void recordARun() throws IOException {
        data = SmallDataSets.stripes(shared.resolve("data"), 64, 32, 16);
        recorded = shared.resolve("recorded");
        succeeds(train(recorded, "--threads", "2"));
        Parallel.setThreads(THREADS);
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(THREADS);
    }

    private static String[] train(Path out, String... more) {
        return Stream.concat(Stream.of("train", "--model", "resnet26-mini", "--data", data.toString(), "--batch", "16",
                "--epochs", "2", "--seed", String.valueOf(SEED), "--digest-every", "3", "--progress", "lines", "--out",
                out.toString()), Stream.of(more)).toArray(String[]::new);
    }

    private static Cli.Outcome succeeds(String... args) {
        Cli.Outcome outcome = Cli.vista(args);
        assertEquals(0, outcome.status(), outcome::toString);
        return outcome;
    }

    private static Cli.Outcome fails(String... args) {
        Cli.Outcome outcome = Cli.vista(args);
        assertEquals(1, outcome.status(), outcome::toString);
        return outcome;
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    /** A copy of the recorded manifest, changed by {@code edit}, in a file of its own. */
    private Path editedManifest(Consumer<JsonObject> edit) throws IOException {
        JsonObject manifest = json(recorded.resolve(RunManifest.FILE));
        edit.accept(manifest);
        Path file = tmp.resolve("edited-" + RunManifest.FILE);
        Files.writeString(file, manifest.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private static JsonObject epoch(JsonObject manifest, int index) {
        return manifest.getAsJsonArray("epochs").get(index).getAsJsonObject();
    }

    @Test
    void manifestRecordsWhatWentInAndCameOut() throws Exception {
        RunManifest m = RunManifest.read(recorded.resolve(RunManifest.FILE));
        JsonObject raw = json(recorded.resolve(RunManifest.FILE));
        for (String key : List.of("format", "sessions", "config", "seeds", "data", "digest_every",
                "initial_weights_sha256", "epochs", "final_weights_sha256", "finished")) {
            assertTrue(raw.has(key), "manifest.json has " + key);
        }
        assertTrue(m.finished());
        assertEquals(1, m.sessions().size());
        RunManifest.Session session = m.sessions().get(0);
        assertEquals(2, session.threads());
        assertEquals(Vectors.FLOAT.vectorBitSize(), session.vectorBits());
        assertEquals(Runtime.version().toString(), session.jdkVersion());
        TrainConfig config = m.trainConfig();
        assertEquals(new TrainConfig("resnet26-mini", data.toString(), 2, 16, 0.1, 0.9, false, 5e-4, false, 0, "torch",
                "cosine", 0, 30, 0.1, true, 4, SEED, 0, 0, "", false, "tuned", 1), config, "every option, defaults included");

        List<String> names = new ArrayList<>();
        for (RunManifest.DataFile f : m.data().files()) {
            names.add(Path.of(f.path()).getFileName().toString());
            assertEquals(sha256(Files.readAllBytes(Path.of(f.path()))), f.sha256(), f.path());
        }
        assertEquals(List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte"), names);

        Rng init = new Rng(SEED).split("init");
        assertEquals(StateDigest.sha256(ModelZoo.create("resnet26-mini", new ModelZoo.Request(1, 10, init))),
                m.initialWeightsSha256(), "the weights before the first step");
        Checkpoint checkpoint = Checkpoint.read(recorded.resolve(RunDirectory.CHECKPOINT));
        assertEquals(StateDigest.sha256(checkpoint.model()), m.finalWeightsSha256(), "the weights after the run");

        List<String> metricLines = Files.readAllLines(recorded.resolve(RunDirectory.METRICS));
        assertEquals(2, m.epochs().size());
        for (int e = 0; e < 2; e++) {
            EpochRecord record = m.epochs().get(e);
            assertEquals(e + 1, record.epoch());
            assertEquals(4L * e + 1, record.firstStep());
            assertEquals(4, record.losses().size());
            assertEquals(64, record.samples());
            Rng shuffle = new Rng(SEED).split("data").split("shuffle").split(e);
            assertEquals(shuffle.seed(), record.shuffleSeed(), "the recorded derivation of epoch " + (e + 1));
            assertEquals(Digests.ints(Shuffle.permutation(64, shuffle)), record.sampleOrderSha256());
            assertEquals(JsonParser.parseString(metricLines.get(e)), record.metrics());
        }
        assertEquals(List.of(3L), m.epochs().get(0).weightDigests().stream().map(d -> d.step()).toList());
        assertEquals(List.of(6L), m.epochs().get(1).weightDigests().stream().map(d -> d.step()).toList());
        assertEquals(m.finalWeightsSha256(), m.epochs().get(1).weightsSha256());
        assertEquals(StateDigest.sha256(checkpoint.optimizer()), m.epochs().get(1).optimizerSha256());
    }

    @Test
    void replayOnAnotherThreadCountMatchesBitForBit() {
        Cli.Outcome replay = succeeds("replay", recorded.resolve(RunManifest.FILE).toString(), "--threads", "1");
        assertTrue(replay.out().contains("replay epoch 1: matches"), replay::toString);
        assertTrue(replay.out().contains("MATCH: 2 epochs replayed bit for bit"), replay::toString);
    }

    @Test
    void replayNamesTheFirstStepWhoseLossDiffers() throws IOException {
        Path edited = editedManifest(m -> {
            JsonArray losses = epoch(m, 0).getAsJsonArray("losses");
            losses.set(2, new JsonPrimitive(Math.nextUp(losses.get(2).getAsDouble())));
        });
        Cli.Outcome replay = fails("replay", edited.toString(), "--epochs", "1");
        assertTrue(replay.err().contains("MISMATCH at step 3: the training loss is"), replay::toString);
        assertTrue(replay.out().contains("replay epoch 1: DIFFERS"), replay::toString);
    }

    @Test
    void replayNamesTheFirstStepWhoseWeightsDiffer() throws IOException {
        String other = "0".repeat(64);
        Path edited = editedManifest(m -> epoch(m, 1).getAsJsonArray("weight_digests").get(0).getAsJsonObject()
                .addProperty("sha256", other));
        Path kept = tmp.resolve("replayed");
        Cli.Outcome replay = fails("replay", edited.toString(), "--out", kept.toString());
        assertTrue(replay.err().contains("MISMATCH at step 6: the weights after it have SHA-256 "), replay::toString);
        assertTrue(replay.out().contains("replay epoch 1: matches"), replay::toString);
        assertTrue(Files.exists(kept.resolve(RunManifest.FILE)), "--out keeps the replay's own run");
    }

    @Test
    void replayComparesEveryMetricButTimings() throws IOException {
        Path edited = editedManifest(m -> {
            JsonObject metrics = epoch(m, 0).getAsJsonObject("metrics");
            metrics.addProperty("seconds", 1e9);
            metrics.addProperty("test_acc", 0.5);
        });
        Cli.Outcome replay = fails("replay", edited.toString(), "--epochs", "1");
        assertTrue(replay.err().contains("MISMATCH after epoch 1 (step 4): the metric test_acc is"), replay::toString);
        assertFalse(replay.err().contains("seconds"), replay::toString);
    }

    @Test
    void replayRefusesChangedData() throws IOException {
        Path copy = SmallDataSets.stripes(tmp.resolve("data"), 64, 32, 16);
        Path images = copy.resolve("t10k-images-idx3-ubyte");
        byte[] bytes = Files.readAllBytes(images);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(images, bytes);
        Path edited = editedManifest(m -> m.getAsJsonObject("config").addProperty("data", copy.toString()));
        Cli.Outcome replay = fails("replay", edited.toString());
        assertTrue(replay.err().contains("before the first step: the data differs from the record (" + images),
                replay::toString);
    }

    @Test
    void replayRejectsWhatItCannotReplay() throws IOException {
        Cli.Outcome missing = fails("replay", tmp.resolve("nothing.json").toString());
        assertTrue(missing.err().contains("nothing.json does not exist; a run's manifest.json is in its --out folder"),
                missing::toString);
        Path notManifest = Files.writeString(tmp.resolve("other.json"), "{\"format\": \"something else\"}");
        Cli.Outcome other = fails("replay", notManifest.toString());
        assertTrue(other.err().contains("is not a Vista run manifest: its \"format\" is 'something else'"),
                other::toString);
        Cli.Outcome tooMany = fails("replay", recorded.resolve(RunManifest.FILE).toString(), "--epochs", "3");
        assertTrue(tooMany.err().contains("--epochs 3 asks for more than the 2 epochs"), tooMany::toString);
        assertEquals(2, Cli.vista("replay", recorded.resolve(RunManifest.FILE).toString(), "--epochs", "-1").status());
        assertEquals(2, Cli.vista("replay", recorded.resolve(RunManifest.FILE).toString(), "--progress", "fancy")
                .status());
    }

    @Test
    void aResumedRunContinuesItsManifestToTheSameWeights() throws IOException {
        Path run = tmp.resolve("interrupted");
        succeeds(train(run, "--threads", "1", "--stop-after-epoch", "1"));
        RunManifest half = RunManifest.read(run.resolve(RunManifest.FILE));
        assertEquals(1, half.epochs().size());
        assertFalse(half.finished());
        assertEquals(List.of(), half.defects(), "an interrupted run's manifest is whole and consistent");
        succeeds("train", "--out", run.toString(), "--resume", "--progress", "lines");
        RunManifest whole = RunManifest.read(run.resolve(RunManifest.FILE));
        RunManifest straight = RunManifest.read(recorded.resolve(RunManifest.FILE));
        assertEquals(List.of(0, 1), whole.sessions().stream().map(s -> s.firstEpoch()).toList());
        assertEquals(List.of(0, 1), whole.epochs().stream().map(EpochRecord::session).toList(),
                "the session that trained each epoch");
        assertEquals(straight.initialWeightsSha256(), whole.initialWeightsSha256());
        assertEquals(straight.finalWeightsSha256(), whole.finalWeightsSha256());
        assertTrue(whole.finished());
        assertEquals(List.of(), whole.defects(), "a resumed run's manifest is whole and consistent");
        succeeds("replay", run.resolve(RunManifest.FILE).toString());
    }

    @Test
    void resumeRefusesAManifestOfAnotherRun() throws IOException {
        Path run = tmp.resolve("interrupted");
        succeeds(train(run, "--stop-after-epoch", "1", "--threads", "1"));
        Path swapped = editedManifest(m -> epoch(m, 0).addProperty("weights_sha256", "1".repeat(64)));
        Files.copy(swapped, run.resolve(RunManifest.FILE), StandardCopyOption.REPLACE_EXISTING);
        Cli.Outcome resumed = fails("train", "--out", run.toString(), "--resume", "--progress", "lines");
        assertTrue(resumed.err().contains("the checkpoint and the manifest belong to different runs"),
                resumed::toString);
    }

    @Test
    void verifyPrintsProvenanceAndMatchesTheManifest() {
        Cli.Outcome verify = succeeds("verify", recorded.resolve(RunDirectory.CHECKPOINT).toString());
        assertTrue(verify.out().contains("integrity:  OK"), verify::toString);
        assertTrue(verify.out().contains("resnet26-mini on " + data + ", epoch 2 of 2, step 8, seed " + SEED),
                verify::toString);
        assertTrue(verify.out().contains("MATCH, its record of epoch 2"), verify::toString);
        assertTrue(verify.out().contains("t10k-labels-idx1-ubyte"), verify::toString);
        Cli.Outcome json = succeeds("verify", recorded.resolve(RunDirectory.CHECKPOINT).toString(), "--json");
        JsonObject parsed = JsonParser.parseString(json.out()).getAsJsonObject();
        assertTrue(parsed.get("matches_manifest").getAsBoolean());
        assertEquals(2, parsed.get("epoch").getAsInt());
    }

    @Test
    void verifyRejectsACorruptCheckpointAndAForeignManifest() throws IOException {
        Path corrupt = tmp.resolve("corrupt.vckp");
        byte[] bytes = Files.readAllBytes(recorded.resolve(RunDirectory.CHECKPOINT));
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(corrupt, bytes);
        Cli.Outcome broken = fails("verify", corrupt.toString());
        assertTrue(broken.err().contains("is corrupt or truncated"), broken::toString);

        Path foreign = editedManifest(m -> epoch(m, 1).addProperty("weights_sha256", "2".repeat(64)));
        Cli.Outcome mismatch = fails("verify", recorded.resolve(RunDirectory.CHECKPOINT).toString(), "--manifest",
                foreign.toString());
        assertTrue(mismatch.out().contains("MISMATCH, the checkpoint's weights have SHA-256"), mismatch::toString);
        assertTrue(mismatch.err().contains("the checkpoint disagrees with its manifest"), mismatch::toString);

        Cli.Outcome absent = fails("verify", tmp.resolve("none.vckp").toString());
        assertTrue(absent.err().contains("none.vckp does not exist"), absent::toString);
    }

    @Test
    void aCheckpointWithoutManifestStillVerifies() throws IOException {
        Path alone = Files.createDirectories(tmp.resolve("alone")).resolve(RunDirectory.CHECKPOINT);
        Files.copy(recorded.resolve(RunDirectory.CHECKPOINT), alone);
        Cli.Outcome verify = succeeds("verify", alone.toString());
        assertTrue(verify.out().contains("manifest:   none found"), verify::toString);
        assertTrue(JsonParser.parseString(succeeds("verify", alone.toString(), "--json").out()).getAsJsonObject()
                .get("matches_manifest").isJsonNull(), "no manifest, no verdict");
    }
}

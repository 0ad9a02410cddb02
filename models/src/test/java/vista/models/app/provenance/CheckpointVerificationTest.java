package vista.models.app.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vista.models.app.cli.Cli;
import vista.models.app.train.RunDirectory;
import vista.models.app.train.SmallDataSets;
import vista.nn.checkpoint.Checkpoint;

/**
 * {@code vista verify} compares a checkpoint's whole stored configuration and its position with its run's
 * manifest, never shows an impossible epoch, and writes numbers as JSON numbers. The checkpoints are
 * rewritten with the checkpoint API, so their checksums are valid: only the comparison can catch them.
 */
class CheckpointVerificationTest {
    @TempDir
    static Path shared;
    private static Path recorded;

    @TempDir
    Path tmp;

    @BeforeAll
    static void recordARun() throws IOException {
        Path data = SmallDataSets.stripes(shared.resolve("data"), 32, 16, 12);
        recorded = shared.resolve("run");
        Cli.Outcome train = Cli.vista("train", "--model", "resnet26-mini", "--data", data.toString(), "--batch", "16",
                "--epochs", "2", "--seed", "3", "--progress", "lines", "--out", recorded.toString());
        assertEquals(0, train.status(), train::toString);
    }

    /**
     * The recorded checkpoint rewritten beside a copy of the manifest, with {@code key} set to {@code value}
     * in its stored configuration (removed if {@code value} is null) and the given position.
     */
    private Path rewritten(String key, String value, long epoch, long step) throws IOException {
        Checkpoint original = Checkpoint.read(recorded.resolve(RunDirectory.CHECKPOINT));
        Map<String, String> config = new LinkedHashMap<>(original.config());
        if (value == null) {
            config.remove(key);
        } else if (key != null) {
            config.put(key, value);
        }
        Path folder = Files.createDirectories(tmp.resolve("rewritten"));
        Files.copy(recorded.resolve(RunManifest.FILE), folder.resolve(RunManifest.FILE));
        Path file = folder.resolve(RunDirectory.CHECKPOINT);
        new Checkpoint(config, epoch, step, original.rng(), original.model(), original.optimizer()).write(file);
        return file;
    }

    private Path rewritten(String key, String value) throws IOException {
        Checkpoint original = Checkpoint.read(recorded.resolve(RunDirectory.CHECKPOINT));
        return rewritten(key, value, original.epoch(), original.step());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(nullValues = "REMOVED", value = {
        "model, san10-pairwise-mini", "in_channels, 3", "lr, 0.5", "seed, 4", "normalize_mean, [0.3]",
        "limit_test, REMOVED", "bogus, 1"})
    void verifySaysMismatchForAStoredConfigurationTheManifestContradicts(String key, String value)
            throws IOException {
        Cli.Outcome verify = Cli.vista("verify", rewritten(key, value).toString());
        assertEquals(1, verify.status(), verify::toString);
        assertTrue(verify.out().contains("MISMATCH"), verify::toString);
        assertTrue(verify.err().contains("stored configuration") && verify.err().contains(key), verify::toString);
    }

    @Test
    void aRewrittenButUnchangedCheckpointStillMatches() throws IOException {
        Cli.Outcome verify = Cli.vista("verify", rewritten(null, "").toString());
        assertEquals(0, verify.status(), verify::toString);
        assertTrue(verify.out().contains("MATCH, its record of epoch 2"), verify::toString);
    }

    @Test
    void numbersSpelledOtherwiseInTheManifestStillMatch() throws IOException {
        Path checkpoint = rewritten(null, "");
        Path manifest = checkpoint.resolveSibling(RunManifest.FILE);
        JsonObject json = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
        json.getAsJsonObject("config").addProperty("weight_decay", new BigDecimal("0.00050"));
        json.getAsJsonObject("config").addProperty("epochs", new BigDecimal("2.0"));
        Files.writeString(manifest, json.toString());
        Cli.Outcome verify = Cli.vista("verify", checkpoint.toString());
        assertEquals(0, verify.status(), verify::toString);
        assertTrue(verify.out().contains("MATCH, its record of epoch 2"), verify::toString);
    }

    /**
     * An epoch or step outside what the format allows (negative, or beyond 2^31 - 1 epochs) is refused by
     * the checkpoint reader as malformed; one inside it that contradicts the run by {@code verify}.
     */
    @ParameterizedTest(name = "epoch {0}, step {1}")
    @CsvSource({"1000000000000, 4", "-5, 4", "0, 4", "3, 4", "2, -3", "2, 1"})
    void verifyCallsACheckpointAtAnImpossiblePositionInvalid(long epoch, long step) throws IOException {
        Path file = rewritten(null, "", epoch, step);
        for (Path manifest : new Path[] {file.resolveSibling(RunManifest.FILE), null}) {
            if (manifest == null) {
                Files.delete(file.resolveSibling(RunManifest.FILE));
            }
            Cli.Outcome verify = Cli.vista("verify", file.toString());
            assertEquals(1, verify.status(), verify::toString);
            String err = verify.err();
            assertTrue(err.contains(file.toAbsolutePath() + " is not a valid checkpoint")
                    || err.contains(file.toAbsolutePath() + " is malformed"), verify::toString);
            assertFalse(verify.out().contains("epoch " + epoch), "no impossible epoch shown: " + verify);
            assertFalse(verify.err().contains("Exception"), verify::toString);
        }
    }

    @Test
    void verifyJsonWritesNumbersAsNumbers() {
        Cli.Outcome verify = Cli.vista("verify", recorded.resolve(RunDirectory.CHECKPOINT).toString(), "--json");
        assertEquals(0, verify.status(), verify::toString);
        JsonObject json = JsonParser.parseString(verify.out()).getAsJsonObject();
        JsonObject config = json.getAsJsonObject("config");
        assertEquals(2, config.getAsJsonPrimitive("epochs").getAsInt());
        assertTrue(config.getAsJsonPrimitive("epochs").isNumber(), config::toString);
        assertTrue(config.getAsJsonPrimitive("lr").isNumber(), config::toString);
        assertTrue(config.getAsJsonPrimitive("seed").isNumber(), config::toString);
        assertTrue(config.getAsJsonPrimitive("in_channels").isNumber(), config::toString);
        assertTrue(config.getAsJsonPrimitive("augment").isBoolean(), config::toString);
        assertTrue(config.get("normalize_mean").isJsonArray(), config::toString);
        assertTrue(config.getAsJsonPrimitive("model").isString(), config::toString);
        assertTrue(config.getAsJsonPrimitive("data").isString(), config::toString);
        assertTrue(json.getAsJsonPrimitive("bytes").isNumber(), json::toString);
        assertTrue(json.getAsJsonPrimitive("step").isNumber(), json::toString);
    }
}

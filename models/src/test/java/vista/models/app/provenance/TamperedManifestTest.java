package vista.models.app.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vista.models.app.cli.Cli;
import vista.models.app.train.RunDirectory;
import vista.models.app.train.SmallDataSets;

/**
 * {@code vista replay} and {@code vista verify} never say MATCH for a manifest edited by hand: every
 * recorded value is compared or checked, and a digest that is missing, null or not 64 lowercase hex
 * digits is a MISMATCH that names its key. One recorded run: resnet26-mini on 64 striped 16x16 images,
 * 2 epochs of 4 steps, the weights fingerprinted every 2 steps.
 */
class TamperedManifestTest {
    @TempDir
    static Path shared;
    private static Path recorded;

    @TempDir
    Path tmp;

    @BeforeAll
    static void recordARun() throws IOException {
        Path data = SmallDataSets.stripes(shared.resolve("data"), 64, 32, 16);
        recorded = shared.resolve("run");
        Cli.Outcome train = Cli.vista("train", "--model", "resnet26-mini", "--data", data.toString(), "--batch", "16",
                "--epochs", "2", "--seed", "5", "--digest-every", "2", "--progress", "lines", "--out",
                recorded.toString());
        assertEquals(0, train.status(), train::toString);
    }

    /** Each kind of recorded digest, spoiled: the key the mismatch must name, and the edit. */
    static Stream<Arguments> spoiledDigests() {
        return Stream.of(
                arguments("initial_weights_sha256", edit(m -> m.add("initial_weights_sha256", JsonNull.INSTANCE))),
                arguments("epochs[0].weight_digests[1].sha256", edit(m -> {
                    JsonObject digest = epoch(m, 0).getAsJsonArray("weight_digests").get(1).getAsJsonObject();
                    digest.addProperty("sha256", digest.get("sha256").getAsString().toUpperCase(Locale.ROOT));
                })),
                arguments("epochs[0].weight_digests", edit(m -> epoch(m, 0).getAsJsonArray("weight_digests").remove(0))),
                arguments("epochs[1].weights_sha256", edit(m -> epoch(m, 1).remove("weights_sha256"))),
                arguments("epochs[0].optimizer_sha256", edit(m -> epoch(m, 0).addProperty("optimizer_sha256", "zz"))),
                arguments("epochs[1].sample_order_sha256",
                        edit(m -> epoch(m, 1).add("sample_order_sha256", JsonNull.INSTANCE))),
                arguments("data.files[2].sha256", edit(m -> m.getAsJsonObject("data").getAsJsonArray("files").get(2)
                        .getAsJsonObject().addProperty("sha256", ""))),
                arguments("final_weights_sha256", edit(m -> m.addProperty("final_weights_sha256", "0".repeat(64)))),
                arguments("final_weights_sha256", edit(m -> m.remove("final_weights_sha256"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spoiledDigests")
    void replaySaysMismatchNamingASpoiledDigest(String key, Consumer<JsonObject> spoil) throws IOException {
        Cli.Outcome replay = Cli.vista("replay", edited(spoil).toString(), "--progress", "lines");
        assertEquals(1, replay.status(), replay::toString);
        assertTrue(replay.err().contains("MISMATCH"), replay::toString);
        assertTrue(replay.err().contains(key), replay::toString);
        assertFalse(replay.out().contains("MATCH:"), replay::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spoiledDigests")
    void verifySaysMismatchNamingASpoiledDigest(String key, Consumer<JsonObject> spoil) throws IOException {
        Cli.Outcome verify = Cli.vista("verify", recorded.resolve(RunDirectory.CHECKPOINT).toString(), "--manifest",
                edited(spoil).toString());
        assertEquals(1, verify.status(), verify::toString);
        assertTrue(verify.out().contains("MISMATCH"), verify::toString);
        assertFalse(verify.out().contains(": MATCH"), verify::toString);
        assertTrue(verify.err().contains(key), verify::toString);
    }

    /** Edits that leave every digest well formed, and the phrase of the difference replay must name. */
    static Stream<Arguments> changedRecords() {
        return Stream.of(
                arguments("a data fact", "data.facts.train_samples",
                        edit(m -> m.getAsJsonObject("data").getAsJsonObject("facts").addProperty("train_samples", 63))),
                arguments("a deleted metric", "the metric test_acc",
                        edit(m -> epoch(m, 0).getAsJsonObject("metrics").remove("test_acc"))),
                arguments("an extra loss", "the number of step losses",
                        edit(m -> epoch(m, 1).getAsJsonArray("losses").add(1.0))),
                arguments("finished", "finished", edit(m -> m.addProperty("finished", false))),
                arguments("a renumbered epoch", "epochs[1].epoch", edit(m -> epoch(m, 1).addProperty("epoch", 3))),
                arguments("the seed of one stream", "the random stream init", edit(m -> {
                    JsonObject init = m.getAsJsonObject("seeds").getAsJsonArray("streams").get(0).getAsJsonObject();
                    init.addProperty("seed", init.get("seed").getAsLong() + 1);
                })));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changedRecords")
    void replaySaysMismatchForAnyChangedValue(String what, String phrase, Consumer<JsonObject> change)
            throws IOException {
        Cli.Outcome replay = Cli.vista("replay", edited(change).toString(), "--progress", "lines");
        assertEquals(1, replay.status(), replay::toString);
        assertTrue(replay.err().contains("MISMATCH"), replay::toString);
        assertTrue(replay.err().contains(phrase), replay::toString);
    }

    @Test
    void aManifestThatCannotBeReadIsAnErrorNamingTheKeyNotAStackTrace() throws IOException {
        Cli.Outcome noStride = Cli.vista("replay", edited(m -> m.addProperty("digest_every", 0)).toString());
        assertEquals(1, noStride.status(), noStride::toString);
        assertTrue(noStride.err().contains("digest_every is 0"), noStride::toString);
        Cli.Outcome nullLoss = Cli.vista("replay", edited(m -> epoch(m, 0).getAsJsonArray("losses")
                .set(0, JsonNull.INSTANCE)).toString());
        assertEquals(1, nullLoss.status(), nullLoss::toString);
        assertTrue(nullLoss.err().contains("epochs[0].losses[0] is null"), nullLoss::toString);
        Cli.Outcome noMetrics = Cli.vista("verify", recorded.resolve(RunDirectory.CHECKPOINT).toString(),
                "--manifest", edited(m -> epoch(m, 1).remove("metrics")).toString());
        assertEquals(1, noMetrics.status(), noMetrics::toString);
        assertTrue(noMetrics.err().contains("epochs[1].metrics is missing"), noMetrics::toString);
        for (Cli.Outcome outcome : new Cli.Outcome[] {noStride, nullLoss, noMetrics}) {
            assertFalse(outcome.err().contains("Exception"), outcome::toString);
        }
    }

    @Test
    void anUntouchedCopyStillMatches() throws IOException {
        Path copy = edited(m -> { });
        Cli.Outcome replay = Cli.vista("replay", copy.toString(), "--progress", "lines");
        assertEquals(0, replay.status(), replay::toString);
        assertTrue(replay.out().contains("MATCH: 2 epochs replayed bit for bit"), replay::toString);
        Cli.Outcome verify = Cli.vista("verify", recorded.resolve(RunDirectory.CHECKPOINT).toString(), "--manifest",
                copy.toString());
        assertEquals(0, verify.status(), verify::toString);
        assertTrue(verify.out().contains("MATCH, its record of epoch 2"), verify::toString);
    }

    /**
     * A record written before class names were recorded (no {@code data.facts.class_names}) still replays
     * bit for bit; a record that has them must have the same ones.
     */
    @Test
    void aRecordFromBeforeClassNamesWereRecordedStillMatchesButChangedNamesDoNot() throws IOException {
        JsonObject facts = JsonParser.parseString(Files.readString(recorded.resolve(RunManifest.FILE)))
                .getAsJsonObject().getAsJsonObject("data").getAsJsonObject("facts");
        assertTrue(facts.has("class_names"), "the recorded run records its class names: " + facts);
        Cli.Outcome older = Cli.vista("replay", edited(m -> m.getAsJsonObject("data").getAsJsonObject("facts")
                .remove("class_names")).toString(), "--progress", "lines");
        assertEquals(0, older.status(), older::toString);
        assertTrue(older.out().contains("MATCH: 2 epochs replayed bit for bit"), older::toString);
        Cli.Outcome renamed = Cli.vista("replay", edited(m -> m.getAsJsonObject("data").getAsJsonObject("facts")
                .getAsJsonArray("class_names").set(0, new JsonPrimitive("not a class"))).toString());
        assertEquals(1, renamed.status(), renamed::toString);
        assertTrue(renamed.err().contains("data.facts.class_names"), renamed::toString);
    }

    private static Consumer<JsonObject> edit(Consumer<JsonObject> edit) {
        return edit;
    }

    private static JsonObject epoch(JsonObject manifest, int index) {
        return manifest.getAsJsonArray("epochs").get(index).getAsJsonObject();
    }

    /** A copy of the recorded manifest, changed by {@code edit} as a person would edit its JSON. */
    private Path edited(Consumer<JsonObject> edit) throws IOException {
        JsonObject manifest = JsonParser.parseString(Files.readString(recorded.resolve(RunManifest.FILE)))
                .getAsJsonObject();
        edit.accept(manifest);
        Path file = tmp.resolve("edited-" + RunManifest.FILE);
        Files.writeString(file, manifest.toString(), StandardCharsets.UTF_8);
        return file;
    }
}

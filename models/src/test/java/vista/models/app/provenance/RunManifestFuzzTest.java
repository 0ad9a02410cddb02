package vista.models.app.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.models.app.provenance.RunManifest.DataFile;
import vista.models.app.provenance.RunManifest.DataRecord;
import vista.models.app.provenance.RunManifest.EpochRecord;
import vista.models.app.provenance.RunManifest.Seeds;
import vista.models.app.provenance.RunManifest.Session;
import vista.models.app.provenance.RunManifest.StepDigest;
import vista.models.app.train.TrainConfig;
import vista.tensor.fuzz.FuzzCampaign;
import vista.tensor.fuzz.Mutation;
import vista.tensor.fuzz.Refusal;

/**
 * Fuzzes {@link RunManifest#read} with the property of {@link FuzzCampaign}: every damaged
 * {@code manifest.json} is refused with an IOException naming the file, or read into a manifest with every
 * part a reader relies on. Besides byte-level damage, every JSON value of a real-looking manifest is
 * replaced in turn by values of the wrong type or extreme size, and every member is removed.
 */
class RunManifestFuzzTest {
    private static final String SHA = "ab".repeat(32);

    @TempDir
    Path dir;

    private static RunManifest manifest() {
        TrainConfig config = new TrainConfig("resnet26-mini", "/data/stripes", 2, 16, 0.1, 0.9, false, 1e-4, true, 0.1,
                "torch", "cosine", 0, 30, 0.1, true, 4, 9, 0, 0, "", false, "lineage", 1);
        JsonObject configJson = JsonParser.parseString(RunManifest.json(config.toJson())).getAsJsonObject();
        JsonObject facts = new JsonObject();
        facts.addProperty("train_samples", 64);
        facts.addProperty("channels", 1);
        JsonObject metrics = new JsonObject();
        metrics.addProperty("epoch", 1);
        metrics.addProperty("train_loss", 2.25);
        Session session = new Session(0, "2026-01-01T00:00:00Z", "development build", null, null, "Eclipse Adoptium",
                "25", "Linux 6.1", "amd64", 2, "Species[float, 16, S_512_BIT]", 512, "fast", 2);
        EpochRecord epoch = new EpochRecord(1, 0, 77, 64, SHA, 1, List.of(2.5, 2.0, 1.75, 1.5),
                List.of(new StepDigest(3, SHA)), SHA, SHA, metrics);
        return new RunManifest(RunManifest.FORMAT, List.of(session), configJson,
                new Seeds(9, List.of(new RunManifest.Stream("init", "seed.split(\"init\")", 123L, "weights"))),
                new DataRecord("/data/stripes", List.of(new DataFile("/data/stripes/train.idx", 1040, SHA)), facts),
                3, SHA, List.of(epoch), SHA, false);
    }

    /** Values of the wrong type or of extreme size that each JSON value is replaced by in turn. */
    private static final List<Supplier<JsonElement>> REPLACEMENTS = List.of(() -> JsonNull.INSTANCE,
            () -> new JsonPrimitive(-1), () -> new JsonPrimitive(2147483648L),
            () -> new JsonPrimitive(new BigDecimal("1e400")), () -> new JsonPrimitive("x"), JsonArray::new,
            JsonObject::new, () -> {
                JsonArray a = new JsonArray();
                a.add(JsonNull.INSTANCE);
                return a;
            });

    /** Every JSON value replaced by each of {@link #REPLACEMENTS}, and every object member removed. */
    private static List<Mutation> valueMutations(JsonObject document) {
        List<Mutation> mutations = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        collect(document, "", paths);
        for (String path : paths) {
            for (Supplier<JsonElement> replacement : REPLACEMENTS) {
                JsonObject copy = document.deepCopy();
                JsonElement value = replacement.get();
                set(copy, path, value);
                mutations.add(text("set " + path + " to " + value, copy));
            }
            if (!path.endsWith("]")) {
                JsonObject copy = document.deepCopy();
                set(copy, path, null);
                mutations.add(text("remove " + path, copy));
            }
        }
        return mutations;
    }

    private static Mutation text(String description, JsonObject document) {
        byte[] bytes = RunManifest.json(document).getBytes(StandardCharsets.UTF_8);
        return new Mutation(description, b -> bytes.clone());
    }

    /** The paths ("sessions[0].threads") of every value under {@code element}. */
    private static void collect(JsonElement element, String path, List<String> paths) {
        if (element.isJsonObject()) {
            element.getAsJsonObject().entrySet().forEach(e -> {
                String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                paths.add(child);
                collect(e.getValue(), child, paths);
            });
        } else if (element.isJsonArray()) {
            JsonArray array = element.getAsJsonArray();
            for (int i = 0; i < array.size(); i++) {
                paths.add(path + "[" + i + "]");
                collect(array.get(i), path + "[" + i + "]", paths);
            }
        }
    }

    /** Sets the value at {@code path} of {@code root}, or removes the member if {@code value} is null. */
    private static void set(JsonObject root, String path, JsonElement value) {
        JsonElement parent = root;
        String[] steps = path.replace("[", ".[").split("\\.");
        for (int i = 0; i < steps.length - 1; i++) {
            parent = step(parent, steps[i]);
        }
        String last = steps[steps.length - 1];
        if (last.startsWith("[")) {
            parent.getAsJsonArray().set(Integer.parseInt(last.substring(1, last.length() - 1)), value);
        } else if (value == null) {
            parent.getAsJsonObject().remove(last);
        } else {
            parent.getAsJsonObject().add(last, value);
        }
    }

    private static JsonElement step(JsonElement parent, String step) {
        return step.startsWith("[") ? parent.getAsJsonArray().get(Integer.parseInt(step.substring(1, step.length() - 1)))
                : parent.getAsJsonObject().get(step);
    }

    @Test
    void damagedManifestsAreRefusedClearlyOrReadWhole() {
        String json = RunManifest.json(manifest());
        Path file = dir.resolve(RunManifest.FILE);
        FuzzCampaign.of("manifest.json", json.getBytes(StandardCharsets.UTF_8))
                .mutations(valueMutations(JsonParser.parseString(json).getAsJsonObject())).budget(Duration.ofMillis(500))
                .run(Refusal.naming(IOException.class, file.toString()),
                        stored -> RunManifest.read(Files.write(file, stored)),
                        (stored, m) -> {
                            assertEquals(RunManifest.FORMAT, m.format());
                            assertNotNull(m.config());
                            assertNotNull(m.seeds());
                            assertNotNull(m.data());
                            m.sessions().forEach(s -> assertNotNull(s, "a session"));
                            m.epochs().forEach(e -> assertNotNull(e, "an epoch"));
                        });
    }
}

package vista.models.app.provenance;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import vista.models.app.provenance.RunManifest.DataFile;
import vista.models.app.provenance.RunManifest.DataRecord;
import vista.models.app.provenance.RunManifest.Seeds;
import vista.models.app.provenance.RunManifest.Session;
import vista.models.app.provenance.RunManifest.Stream;
import vista.models.app.train.DataFacts;
import vista.models.app.train.FolderData;
import vista.models.app.train.TrainConfig;
import vista.models.app.train.TrainingData;
import vista.tensor.Rng;
import vista.tensor.runtime.Kernels;
import vista.tensor.runtime.Parallel;
import vista.tensor.runtime.Vectors;

/**
 * The parts of a {@link RunManifest} gathered from this process and its run: the session (software and
 * machine), the random streams and the data files; and how two records of the same parts differ (data
 * files, settings as key/value pairs, with numbers compared by value).
 */
final class ManifestParts {
    private static final Gson GSON = new Gson();

    private ManifestParts() {
    }

    /** The software and machine of this process, training from epoch {@code firstEpoch} on. */
    static Session thisSession(int firstEpoch) {
        return thisSession(firstEpoch, null);
    }

    /** The same, as worker 0 of {@code cluster} (null for one process). */
    static Session thisSession(int firstEpoch, RunManifest.Cluster cluster) {
        String version = ManifestParts.class.getPackage().getImplementationVersion();
        String commit = System.getProperty("vista.git.commit");
        String dirty = System.getProperty("vista.git.dirty");
        return new Session(firstEpoch, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                version == null ? "development build" : version, commit == null || commit.isBlank() ? null : commit,
                dirty == null || dirty.isBlank() ? null : Boolean.valueOf(dirty), System.getProperty("java.vm.vendor"),
                Runtime.version().toString(), System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), Vectors.FLOAT.toString(),
                Vectors.FLOAT.vectorBitSize(), Kernels.FAST ? "fast" : "reference", Parallel.threads(), cluster);
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

    /**
     * The data record of {@code data}: its files with their sizes and SHA-256 (for image folders, one entry
     * per split folder, {@link FolderDigest}), and {@code facts}.
     */
    static DataRecord dataRecord(TrainingData data, DataFacts facts) throws IOException {
        List<DataFile> files = new ArrayList<>();
        if (FolderData.isFolderSpec(data.spec())) {
            FolderData folder = FolderData.parse(data.spec());
            for (Path split : List.of(folder.trainFolder(), folder.testFolder())) {
                files.add(FolderDigest.of(split, data.files().stream().filter(f -> f.startsWith(split)).toList()));
            }
        } else {
            for (Path path : data.files()) {
                files.add(new DataFile(path.toAbsolutePath().toString(), Files.size(path), Digests.file(path)));
            }
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
            if (!Objects.equals(a.sha256(), b.sha256()) || a.bytes() != b.bytes()) {
                changed.add(b.path() + " has " + b.bytes() + " bytes of SHA-256 " + b.sha256() + " now; " + a.path()
                        + " had " + a.bytes() + " bytes of SHA-256 " + a.sha256());
            }
        }
        return changed;
    }

    /** The entries of {@code json} as strings: primitives as their text, anything else as JSON. */
    static Map<String, String> strings(JsonObject json) {
        Map<String, String> m = new LinkedHashMap<>();
        json.entrySet().forEach(e -> m.put(e.getKey(), text(e.getValue())));
        return m;
    }

    /**
     * Each key of {@code recorded} or {@code now} whose value differs between them (or is in one only), as
     * "KEY is VALUE in NOW_NAME, VALUE in RECORDED_NAME", the key written after {@code prefix}.
     */
    static List<String> differentEntries(String prefix, Map<String, String> recorded, Map<String, String> now,
                                         String nowName, String recordedName) {
        Set<String> keys = new LinkedHashSet<>(now.keySet());
        keys.addAll(recorded.keySet());
        List<String> different = new ArrayList<>();
        for (String key : keys) {
            String a = recorded.get(key);
            String b = now.get(key);
            if (a == null || b == null || !sameValue(a, b)) {
                different.add(prefix + key + " is " + (b == null ? "missing" : b) + " in " + nowName + ", "
                        + (a == null ? "missing" : a) + " in " + recordedName);
            }
        }
        return different;
    }

    /**
     * Whether two values written as text are the same: the same text, or two numbers of the same value
     * ({@code 5.0E-4} and {@code 0.0005}), or two JSON lists whose items are the same by this rule.
     */
    static boolean sameValue(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        if (x != null || y != null) {
            return x != null && y != null && x.compareTo(y) == 0;
        }
        JsonArray p = list(a);
        JsonArray q = list(b);
        if (p == null || q == null || p.size() != q.size()) {
            return false;
        }
        for (int i = 0; i < p.size(); i++) {
            if (!sameValue(text(p.get(i)), text(q.get(i)))) {
                return false;
            }
        }
        return true;
    }

    private static String text(JsonElement value) {
        return value.isJsonPrimitive() ? value.getAsString() : value.toString();
    }

    private static BigDecimal number(String text) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static JsonArray list(String text) {
        if (!text.startsWith("[")) {
            return null;
        }
        try {
            JsonElement parsed = JsonParser.parseString(text);
            return parsed.isJsonArray() ? parsed.getAsJsonArray() : null;
        } catch (JsonParseException e) {
            return null;
        }
    }
}

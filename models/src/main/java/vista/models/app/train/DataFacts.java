package vista.models.app.train;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import vista.data.Dataset;
import vista.data.Normalize;

/**
 * What a run learned about its data, stored with the {@link TrainConfig} in every checkpoint so that
 * {@code vista eval} can rebuild the model and prepare images exactly as training did, and
 * {@code --resume} can check that the data has not changed.
 *
 * @param channels     image channels (the model's input channels)
 * @param height       image height
 * @param width        image width
 * @param numClasses   classes (the model's outputs)
 * @param trainSamples training images used
 * @param testSamples  test images used
 * @param mean         per-channel mean of the normalisation
 * @param std          per-channel standard deviation of the normalisation
 * @param classNames   the name of each class, by label (for image folders, the folder names); empty in
 *                     checkpoints written before class names were recorded (key {@code class_names})
 */
public record DataFacts(int channels, int height, int width, int numClasses, int trainSamples, int testSamples,
                        float[] mean, float[] std, List<String> classNames) {
    private static final Gson GSON = new Gson();
    private static final String CLASS_NAMES = "class_names";

    /**
     * Facts that records written before they existed lack: a run's record without them is compared
     * without them ({@code vista replay} of a manifest from an earlier version). Class names describe the
     * labels; no computed bit depends on them.
     */
    public static final Set<String> RECORDED_LATER = Set.of(CLASS_NAMES);

    public DataFacts {
        classNames = List.copyOf(classNames);
    }

    /** Facts without class names. */
    public DataFacts(int channels, int height, int width, int numClasses, int trainSamples, int testSamples,
            float[] mean, float[] std) {
        this(channels, height, width, numClasses, trainSamples, testSamples, mean, std, List.of());
    }

    /** The facts of {@code data}. */
    public static DataFacts of(TrainingData data) {
        Dataset train = data.train();
        return new DataFacts(train.channels(), train.height(), train.width(), train.numClasses(), train.size(),
                data.test().size(), data.normalize().mean(), data.normalize().std(), train.classNames());
    }

    /** The normalisation these facts describe. */
    public Normalize normalize() {
        return new Normalize(mean, std);
    }

    /**
     * Why {@code dataset} cannot be used where these facts were recorded (other geometry or classes), or
     * null if it can.
     */
    public String mismatch(Dataset dataset) {
        if (dataset.channels() != channels || dataset.height() != height || dataset.width() != width
                || dataset.numClasses() != numClasses) {
            return dataset.name() + " has images of " + dataset.channels() + " x " + dataset.height() + " x "
                    + dataset.width() + " in " + dataset.numClasses() + " classes, but the model was trained on "
                    + channels + " x " + height + " x " + width + " in " + numClasses + " classes";
        }
        return null;
    }

    /** Each fact by key, with its JSON value. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("in_channels", channels);
        m.put("image_height", height);
        m.put("image_width", width);
        m.put("num_classes", numClasses);
        m.put("train_samples", trainSamples);
        m.put("test_samples", testSamples);
        m.put("normalize_mean", mean.clone());
        m.put("normalize_std", std.clone());
        if (!classNames.isEmpty()) {
            m.put(CLASS_NAMES, classNames.toArray(String[]::new));
        }
        return m;
    }

    /** Each fact by key, as a string (arrays as JSON); {@link #fromMap} reads them back exactly. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        toJson().forEach((k, v) -> m.put(k, v instanceof float[] || v instanceof String[] ? GSON.toJson(v)
                : String.valueOf(v)));
        return m;
    }

    /**
     * The facts as a run's config.json stores them (other keys are ignored).
     *
     * @throws IllegalArgumentException naming the first missing or unreadable key
     */
    public static DataFacts fromJson(JsonObject json) {
        return fromMap(TrainConfig.strings(json));
    }

    /** The facts stored in a checkpoint's map (other keys are ignored). */
    public static DataFacts fromMap(Map<String, String> m) {
        TrainConfig.Reader r = new TrainConfig.Reader(m);
        return new DataFacts(r.get("in_channels", Integer::parseInt), r.get("image_height", Integer::parseInt),
                r.get("image_width", Integer::parseInt), r.get("num_classes", Integer::parseInt),
                r.get("train_samples", Integer::parseInt), r.get("test_samples", Integer::parseInt),
                r.get("normalize_mean", s -> GSON.fromJson(s, float[].class)),
                r.get("normalize_std", s -> GSON.fromJson(s, float[].class)),
                m.containsKey(CLASS_NAMES) ? List.of(r.get(CLASS_NAMES, s -> GSON.fromJson(s, String[].class))) : List.of());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataFacts f && f.toMap().equals(toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public String toString() {
        return "DataFacts" + toMap();
    }

    /**
     * The keys whose values differ between {@code this} and {@code other}, as "key: a vs b"; a key that
     * {@code other} does not record (class names in older checkpoints) is not a difference.
     */
    List<String> differences(DataFacts other) {
        Map<String, String> a = toMap();
        Map<String, String> b = other.toMap();
        return a.keySet().stream().filter(k -> b.containsKey(k) && !a.get(k).equals(b.get(k)))
                .map(k -> k + " " + a.get(k) + " now, " + b.get(k) + " in the checkpoint").toList();
    }
}

package vista.models.app.train;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import vista.data.Dataset;
import vista.models.zoo.AttentionRecipe;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.loss.CrossEntropyLoss;
import vista.nn.optim.CosineSchedule;
import vista.nn.optim.LearningRateSchedule;
import vista.nn.optim.StepSchedule;
import vista.tensor.Rng;

/**
 * Everything that decides what a training run computes: the options of {@code vista train} that shape
 * the result (not {@code --threads}, {@code --out} or the progress display, which do not). The same
 * config and the same data give the same weights, bit for bit, on any thread count.
 *
 * <p>Each component has a key, the option's name in snake case ({@code --weight-decay} is
 * {@code weight_decay}); {@link #toMap()} and {@link #fromMap} convert to and from the string map a
 * checkpoint stores, {@link #toJson()} gives typed values for {@code config.json}.
 *
 * @param model          a {@link ModelZoo} name
 * @param data           the data set, as {@link TrainingData#load} reads it
 * @param epochs         passes over the training set
 * @param batch          images per optimiser step
 * @param lr             the base learning rate η
 * @param momentum       SGD momentum μ (0: plain SGD)
 * @param nesterov       Nesterov momentum
 * @param weightDecay    L2 weight decay λ, added to the gradient as λ p
 * @param noDecayBnBias  exclude parameters of rank 0 or 1 (BatchNorm's γ and β, biases) from weight decay
 * @param labelSmoothing ε of the label smoothing, in [0, 1)
 * @param smoothingStyle {@code torch} or {@code san}: how ε is spread (see {@link CrossEntropyLoss})
 * @param schedule       {@code cosine} (to 0 over the run, per step), {@code cosine-epoch} (per epoch, as
 *                       the official SAN code) or {@code step} (× lrGamma every lrStepEpochs)
 * @param warmupEpochs   epochs of linear warmup from η / (warmup steps) up to η, before the schedule
 * @param lrStepEpochs   epochs between two decays of the step schedule
 * @param lrGamma        the factor of each decay of the step schedule
 * @param augment        random crop (zero padding {@code cropPadding}) and horizontal flip of training images
 * @param cropPadding    the random crop's padding in pixels
 * @param seed           the seed of every random choice (initialisation, shuffling, augmentation)
 * @param limitTrain     use only the first N training images (0: all)
 * @param limitTest      use only the first N test images (0: all)
 * @param initWeights    a weight file the model starts from instead of its random initialisation (fine-tuning;
 *                       any format {@link vista.nn.weights.WeightFiles} reads), or "" for none
 * @param reinitHead     with initWeights: keep the classifier's own random initialisation instead of the file's
 *                       (for data with other classes than the weights were trained on)
 * @param attentionRecipe a SASA network's {@link AttentionRecipe}, by label: {@code tuned} (scaled logits,
 *                       zero-initialised residual branches, unit relative embeddings), {@code lineage} (the
 *                       same with embeddings N(0, 1/dh)) or {@code paper}; other networks ignore it
 * @param shards         the shards S each batch is split into, each with its own BatchNorm statistics and
 *                       gradient, combined in a fixed tree ({@link ShardedStep}); 1 is plain training, and
 *                       the value stored configs without the key mean
 */
public record TrainConfig(String model, String data, int epochs, int batch, double lr, double momentum,
                          boolean nesterov, double weightDecay, boolean noDecayBnBias, double labelSmoothing,
                          String smoothingStyle, String schedule, int warmupEpochs, int lrStepEpochs,
                          double lrGamma, boolean augment, int cropPadding, long seed, int limitTrain,
                          int limitTest, String initWeights, boolean reinitHead, String attentionRecipe,
                          int shards) {
    /**
     * Keys that configs written before they existed lack, with the value that reproduces what those runs
     * computed.
     */
    private static final Map<String, String> ADDED_LATER = Map.of("init_weights", "", "reinit_head", "false",
            "attention_recipe", AttentionRecipe.PAPER.label(), "shards", "1");

    /**
     * A config that starts from a random initialisation, with the default attention recipe, in one shard:
     * every component but those four.
     */
    public TrainConfig(String model, String data, int epochs, int batch, double lr, double momentum,
                       boolean nesterov, double weightDecay, boolean noDecayBnBias, double labelSmoothing,
                       String smoothingStyle, String schedule, int warmupEpochs, int lrStepEpochs,
                       double lrGamma, boolean augment, int cropPadding, long seed, int limitTrain,
                       int limitTest) {
        this(model, data, epochs, batch, lr, momentum, nesterov, weightDecay, noDecayBnBias, labelSmoothing,
                smoothingStyle, schedule, warmupEpochs, lrStepEpochs, lrGamma, augment, cropPadding, seed,
                limitTrain, limitTest, "", false, AttentionRecipe.TUNED.label(), 1);
    }

    /** The key of {@link #shards()}; a stored config without it was written before shards existed. */
    static final String SHARDS = "shards";

    /** A copy of this config with {@code shards} shards. */
    public TrainConfig withShards(int shards) {
        return new TrainConfig(model, data, epochs, batch, lr, momentum, nesterov, weightDecay, noDecayBnBias,
                labelSmoothing, smoothingStyle, schedule, warmupEpochs, lrStepEpochs, lrGamma, augment, cropPadding,
                seed, limitTrain, limitTest, initWeights, reinitHead, attentionRecipe, shards);
    }

    /**
     * The problems with this config, each a sentence naming the option and what it accepts; empty if
     * the config is valid.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        String unknownModel = ModelZoo.nameProblem(model);
        if (unknownModel != null) {
            problems.add("--model " + unknownModel);
        }
        if (epochs < 1) {
            problems.add("--epochs must be at least 1, got " + epochs + ".");
        }
        if (batch < 2) {
            problems.add("--batch must be at least 2 (BatchNorm needs two images to estimate a variance), got "
                    + batch + ".");
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            problems.add("--lr must be a finite number > 0, got " + lr + ".");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            problems.add("--momentum must be in [0, 1), got " + momentum + ".");
        }
        if (nesterov && momentum == 0) {
            problems.add("--nesterov needs a --momentum above 0.");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            problems.add("--weight-decay must be a finite number >= 0, got " + weightDecay + ".");
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            problems.add("--label-smoothing must be in [0, 1), got " + labelSmoothing + ".");
        }
        if (!List.of("torch", "san").contains(smoothingStyle)) {
            problems.add("--smoothing-style must be torch or san, got " + smoothingStyle + ".");
        }
        if (!List.of("cosine", "cosine-epoch", "step").contains(schedule)) {
            problems.add("--schedule must be cosine, cosine-epoch or step, got " + schedule + ".");
        }
        if (schedule.equals("cosine-epoch") && warmupEpochs != 0) {
            problems.add("--schedule cosine-epoch (the official SAN recipe) has no warmup; drop --warmup-epochs or "
                    + "use --schedule cosine.");
        }
        if (warmupEpochs < 0 || (epochs >= 1 && warmupEpochs >= epochs)) {
            problems.add("--warmup-epochs must be at least 0 and fewer than --epochs (" + epochs + "), got "
                    + warmupEpochs + ".");
        }
        if (lrStepEpochs < 1) {
            problems.add("--lr-step-epochs must be at least 1, got " + lrStepEpochs + ".");
        }
        if (!(lrGamma > 0 && lrGamma <= 1)) {
            problems.add("--lr-gamma must be in (0, 1], got " + lrGamma + ".");
        }
        if (cropPadding < 0) {
            problems.add("--crop-padding must be at least 0, got " + cropPadding + ".");
        }
        if (limitTrain < 0 || limitTest < 0) {
            problems.add("--limit-train and --limit-test must be at least 0 (0: use every image), got "
                    + limitTrain + " and " + limitTest + ".");
        }
        if (Arrays.stream(AttentionRecipe.values()).noneMatch(recipe -> recipe.label().equals(attentionRecipe))) {
            problems.add("--attention-recipe must be tuned, lineage or paper, got " + attentionRecipe + ".");
        }
        if (reinitHead && initWeights.isEmpty()) {
            problems.add("--reinit-head goes with --weights FILE: without starting weights every layer is"
                    + " initialised afresh already.");
        }
        if (shards < 1) {
            problems.add("--shards must be at least 1, got " + shards + ".");
        } else if (batch % shards != 0) {
            problems.add("--batch " + batch + " cannot be split into " + shards + " shards of equal size; choose a"
                    + " --shards that divides --batch (e.g. " + largestPowerOfTwoDividing(batch, shards) + ").");
        } else if (batch / shards < 2) {
            problems.add("--shards " + shards + " leaves " + batch / shards + " image per shard of --batch " + batch
                    + ", but each shard's BatchNorm needs two images to estimate a variance; use at most --shards "
                    + batch / 2 + ".");
        }
        return problems;
    }

    /**
     * The problems of this (valid) config with the images of {@code data}, each a sentence naming the
     * option, the data and what would fit; empty if there are none. Checked before a run writes anything:
     * the batch must fit in the training images, the random crop's padding must leave part of the image
     * in every crop, and the model must take the images' size.
     */
    public List<String> problemsWith(TrainingData data) {
        List<String> problems = new ArrayList<>();
        Dataset train = data.train();
        if (train.size() < batch) {
            problems.add("--batch " + batch + " is larger than the " + train.size() + " training images, so an epoch"
                    + " would have no full batch; lower --batch or raise --limit-train.");
        }
        int side = Math.min(train.height(), train.width());
        if (augment && cropPadding >= side) {
            problems.add("--crop-padding " + cropPadding + " is not smaller than the " + side + "-pixel side of the "
                    + train.height() + " x " + train.width() + " images of " + data.spec() + ", so a random crop could"
                    + " hold no pixel of the image; use a padding below " + side + " (4 is usual for 28 x 28 and"
                    + " 32 x 32 images).");
        }
        String size = ModelZoo.inputSizeProblem(model, train.height(), train.width());
        if (size != null) {
            problems.add("--model " + size + " Choose another --model for the images of " + data.spec() + ".");
        }
        return problems;
    }

    /**
     * A new model of this config for data with {@code facts}: the zoo's {@code model}, initialised from
     * {@code seed.split("init")} with this config's attention recipe.
     */
    public Module createModel(DataFacts facts) {
        return ModelZoo.create(model, new ModelZoo.Request(facts.channels(), facts.numClasses(),
                new Rng(seed).split("init"), AttentionRecipe.named(attentionRecipe)));
    }

    /** The loss being minimised: cross-entropy with this config's label smoothing. */
    public CrossEntropyLoss criterion() {
        CrossEntropyLoss.Smoothing style = CrossEntropyLoss.Smoothing.valueOf(smoothingStyle.toUpperCase(Locale.ROOT));
        return new CrossEntropyLoss(labelSmoothing, style);
    }

    /**
     * The learning rate of optimiser step t (counted from 0 over the whole run), for
     * {@code stepsPerEpoch} steps per epoch. With W = warmupEpochs × stepsPerEpoch warmup steps, the rate
     * rises linearly, η (f + (1 - f) t / W) with f = 1 / W, from η / W at t = 0 to η at t = W; then
     * {@code cosine} anneals to 0 at the end of the run ({@link CosineSchedule}) and {@code step} multiplies
     * η by lrGamma every lrStepEpochs epochs ({@link StepSchedule}, counted from the start).
     * {@code cosine-epoch} is the official SAN recipe (PyTorch's {@code CosineAnnealingLR} stepped once per
     * epoch, no warmup): the rate is constant within epoch e, {@code η (1 + cos(π e / epochs)) / 2}.
     */
    public LearningRateSchedule schedule(int stepsPerEpoch) {
        long warmup = (long) warmupEpochs * stepsPerEpoch;
        long total = (long) epochs * stepsPerEpoch;
        double startFactor = warmup == 0 ? 0 : 1.0 / warmup;
        if (schedule.equals("cosine")) {
            return new CosineSchedule(lr, warmup, total, startFactor, 0);
        }
        if (schedule.equals("cosine-epoch")) {
            CosineSchedule perEpoch = new CosineSchedule(lr, epochs);
            return t -> perEpoch.learningRate(t / stepsPerEpoch);
        }
        StepSchedule decay = new StepSchedule(lr, (long) lrStepEpochs * stepsPerEpoch, lrGamma);
        return t -> t < warmup ? lr * (startFactor + (1 - startFactor) * t / warmup) : decay.learningRate(t);
    }

    /** Each component by key, with its JSON value (strings, numbers and booleans). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("data", data);
        m.put("epochs", epochs);
        m.put("batch", batch);
        m.put("lr", lr);
        m.put("momentum", momentum);
        m.put("nesterov", nesterov);
        m.put("weight_decay", weightDecay);
        m.put("no_decay_bn_bias", noDecayBnBias);
        m.put("label_smoothing", labelSmoothing);
        m.put("smoothing_style", smoothingStyle);
        m.put("schedule", schedule);
        m.put("warmup_epochs", warmupEpochs);
        m.put("lr_step_epochs", lrStepEpochs);
        m.put("lr_gamma", lrGamma);
        m.put("augment", augment);
        m.put("crop_padding", cropPadding);
        m.put("seed", seed);
        m.put("limit_train", limitTrain);
        m.put("limit_test", limitTest);
        m.put("init_weights", initWeights);
        m.put("reinit_head", reinitHead);
        m.put("attention_recipe", attentionRecipe);
        m.put(SHARDS, shards);
        return m;
    }

    /** Each component by key, as the string a checkpoint stores ({@code Double.toString} round-trips exactly). */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        toJson().forEach((k, v) -> m.put(k, String.valueOf(v)));
        return m;
    }

    /**
     * The config stored in a checkpoint's map (other keys are ignored).
     *
     * @throws IllegalArgumentException naming the first missing or unreadable key
     */
    public static TrainConfig fromMap(Map<String, String> m) {
        Map<String, String> complete = new LinkedHashMap<>(ADDED_LATER);
        complete.putAll(m);
        Reader r = new Reader(complete);
        return new TrainConfig(r.get("model", s -> s), r.get("data", s -> s), r.get("epochs", Integer::parseInt),
                r.get("batch", Integer::parseInt), r.get("lr", Double::parseDouble),
                r.get("momentum", Double::parseDouble), r.get("nesterov", Reader::bool),
                r.get("weight_decay", Double::parseDouble), r.get("no_decay_bn_bias", Reader::bool),
                r.get("label_smoothing", Double::parseDouble), r.get("smoothing_style", s -> s),
                r.get("schedule", s -> s), r.get("warmup_epochs", Integer::parseInt),
                r.get("lr_step_epochs", Integer::parseInt), r.get("lr_gamma", Double::parseDouble),
                r.get("augment", Reader::bool), r.get("crop_padding", Integer::parseInt),
                r.get("seed", Long::parseLong), r.get("limit_train", Integer::parseInt),
                r.get("limit_test", Integer::parseInt), r.get("init_weights", s -> s),
                r.get("reinit_head", Reader::bool), r.get("attention_recipe", s -> s),
                r.get(SHARDS, Integer::parseInt));
    }

    /** The largest power of two that divides {@code batch} and is at most {@code shards}, for a suggestion. */
    private static int largestPowerOfTwoDividing(int batch, int shards) {
        int p = 1;
        while (p * 2 <= shards && batch % (p * 2) == 0) {
            p *= 2;
        }
        return p;
    }

    /**
     * The config as {@link #toJson()} wrote it into a JSON document (a run's manifest); other keys are
     * ignored.
     *
     * @throws IllegalArgumentException naming the first missing or unreadable key
     */
    public static TrainConfig fromJson(JsonObject json) {
        return fromMap(strings(json));
    }

    /** A JSON document's members as the string map of a checkpoint: primitives as text, the rest as JSON. */
    static Map<String, String> strings(JsonObject json) {
        Map<String, String> m = new LinkedHashMap<>();
        json.entrySet().forEach(e -> m.put(e.getKey(), e.getValue().isJsonPrimitive()
                ? e.getValue().getAsString() : e.getValue().toString()));
        return m;
    }

    /** Reads typed values from a string map, with errors that name the key. */
    record Reader(Map<String, String> map) {
        <T> T get(String key, Function<String, T> parse) {
            String value = map.get(key);
            if (value == null) {
                throw new IllegalArgumentException("the stored configuration has no entry '" + key
                        + "'; it was not written by this version of vista train");
            }
            try {
                return parse.apply(value);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("the stored configuration entry " + key + " = '" + value
                        + "' cannot be read (" + e.getMessage() + ")", e);
            }
        }

        static boolean bool(String s) {
            if (!s.equals("true") && !s.equals("false")) {
                throw new IllegalArgumentException("expected true or false");
            }
            return Boolean.parseBoolean(s);
        }
    }
}

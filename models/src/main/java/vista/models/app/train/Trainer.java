package vista.models.app.train;

import com.google.gson.Gson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import vista.autograd.Variable;
import vista.data.Batch;
import vista.data.DataLoader;
import vista.data.Normalize;
import vista.data.RandomCrop;
import vista.data.RandomHorizontalFlip;
import vista.data.Transform;
import vista.models.app.provenance.Digests;
import vista.models.app.provenance.ManifestRecorder;
import vista.models.app.provenance.RunManifest;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.checkpoint.Checkpoint;
import vista.nn.checkpoint.StateDigest;
import vista.nn.loss.CrossEntropyLoss;
import vista.nn.optim.LearningRateSchedule;
import vista.nn.optim.Sgd;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.runtime.Parallel;

/**
 * The training loop of {@code vista train}: SGD on mini-batches, a test evaluation and a checkpoint after
 * every epoch.
 *
 * <p><b>One step</b> (t counts optimiser steps over the whole run, from 0):
 * <pre>
 *   η = schedule(t);  zero the gradients;  logits = model(images);  L = criterion(logits, labels)
 *   stop if L is NaN or infinite;  backward;  SGD update with η;  t = t + 1
 * </pre>
 * Training images are shuffled each epoch and, with {@code augment}, randomly cropped from a zero-padded
 * copy and flipped left-right, then normalised; the last partial batch of an epoch is dropped (BatchNorm
 * statistics of a handful of images are noise), so an epoch has floor(N / batch) steps. After the epoch
 * the weights are checked to be finite, the model is evaluated on the test split ({@link Evaluation}),
 * the checkpoint is replaced and a line is appended to the metrics ({@link RunDirectory}).
 *
 * <p><b>Randomness and resuming.</b> Everything random derives from the seed through named streams:
 * {@code seed.split("init")} initialises the model; {@code seed.split("data")} feeds the training
 * loader, whose shuffling depends only on (seed, epoch) and whose augmentation only on (seed, epoch,
 * image index) (see {@link DataLoader}). The learning rate depends only on t. So the state after epoch
 * e is entirely in the checkpoint (weights, BatchNorm running statistics, SGD velocities, e, t, the
 * config), and a run resumed from it computes the same bits as one that never stopped. The checkpoint's
 * random-number entry is just {@code seed}: no generator carries state from one epoch to the next.
 *
 * <p><b>Metrics</b> ({@code metrics.jsonl}, one line per epoch): {@code epoch} (finished epochs, from 1),
 * {@code step} (t after the epoch), {@code train_loss} and {@code train_acc} (the criterion and the
 * top-1 accuracy averaged over the epoch's training images, measured in training mode on augmented
 * images while the weights changed), {@code test_loss}, {@code test_acc} and {@code test_top5}
 * ({@link Evaluation}), {@code lr} (η of the epoch's last step), {@code seconds} (the epoch's training
 * time, without the test) and {@code images_per_second} (training images / seconds).
 *
 * <p><b>Provenance</b> ({@link RunManifest}, {@code manifest.json}): written when a session starts and
 * after every epoch, before the checkpoint. It records the software and machine, the resolved config,
 * the seeds, the data files' SHA-256, the weights' SHA-256 before the first step, and for every epoch
 * the sample order's SHA-256, every step's loss, the weights' SHA-256 after every
 * {@code digestEvery}-th step and after the epoch, and the metrics. A {@link TrainingObserver} sees the
 * same facts as they happen ({@code vista replay} compares them with a recorded manifest).
 */
public final class Trainer {
    /**
     * How to run, beyond what is computed.
     *
     * @param out            the run folder
     * @param stopAfterEpoch stop after this epoch (from 1) as if interrupted, to continue later with
     *                       {@code --resume}; 0 to run all epochs
     * @param progress       {@code auto}, {@code bar} or {@code lines} (see {@link Progress})
     * @param digestEvery    fingerprint the weights after every this many optimiser steps (a resumed run
     *                       keeps the value its manifest records)
     */
    public record Settings(Path out, int stopAfterEpoch, String progress, int digestEvery) {
        /** Steps between two fingerprints of the weights unless asked otherwise. */
        public static final int DEFAULT_DIGEST_EVERY = 10;

        /** Settings with the default {@link #digestEvery}. */
        public Settings(Path out, int stopAfterEpoch, String progress) {
            this(out, stopAfterEpoch, progress, DEFAULT_DIGEST_EVERY);
        }

        /** The problems with these settings, as sentences; empty if there are none. */
        public List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (stopAfterEpoch < 0) {
                problems.add("--stop-after-epoch must be at least 1 (or 0: run every epoch), got " + stopAfterEpoch
                        + ".");
            }
            try {
                Progress.Mode.parse(progress);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
            if (digestEvery < 1) {
                problems.add("--digest-every must be at least 1, got " + digestEvery + ".");
            }
            return problems;
        }
    }

    /**
     * What a run ended with.
     *
     * @param epochs   epochs finished, counting those of earlier sessions
     * @param steps    optimiser steps taken, counting those of earlier sessions
     * @param test     the test evaluation after the last epoch of this session (null if it ran none)
     * @param finished true if every epoch of the config is done
     */
    public record Result(int epochs, long steps, Evaluation test, boolean finished) {
    }

    private static final Gson JSON = new Gson();

    private final TrainConfig config;
    private final Settings settings;
    private final RunDirectory run;
    private final Progress progress;
    private final TrainingObserver observer;
    private ManifestRecorder manifest;

    private Trainer(TrainConfig config, Settings settings, PrintWriter out, TrainingObserver observer) {
        this.config = config;
        this.settings = settings;
        this.run = new RunDirectory(settings.out());
        this.progress = new Progress(out, Progress.Mode.parse(settings.progress()));
        this.observer = observer;
    }

    /**
     * Starts a new run of {@code config} in {@code settings.out()}, which must not hold a run yet.
     *
     * @throws TrainingDivergedException if a loss or weight becomes NaN or infinite
     * @throws IOException if the data or the run folder cannot be read or written
     */
    public static Result start(TrainConfig config, Settings settings, PrintWriter out) throws IOException {
        return start(config, settings, out, TrainingObserver.NONE);
    }

    /** As {@link #start(TrainConfig, Settings, PrintWriter)}, with {@code observer} watching every step and epoch. */
    public static Result start(TrainConfig config, Settings settings, PrintWriter out, TrainingObserver observer)
            throws IOException {
        return new Trainer(config, settings, out, observer).run(null);
    }

    /**
     * Continues the run whose last checkpoint is {@code checkpoint} (read from {@code settings.out()}) with
     * the checkpoint's config; the data must be the same as when it was written.
     */
    public static Result resume(Checkpoint checkpoint, Settings settings, PrintWriter out) throws IOException {
        return new Trainer(TrainConfig.fromMap(checkpoint.config()), settings, out, TrainingObserver.NONE)
                .run(checkpoint);
    }

    private Result run(Checkpoint resumeFrom) throws IOException {
        if (resumeFrom != null && resumeFrom.epoch() >= config.epochs()) {
            progress.line("The run in " + run.root() + " already finished its " + count(config.epochs(), "epoch")
                    + "; nothing to do.");
            return new Result(config.epochs(), resumeFrom.step(), null, true);
        }
        TrainingData data = TrainingData.load(config.data(), config.limitTrain(), config.limitTest());
        DataFacts facts = DataFacts.of(data);
        if (data.train().size() < config.batch()) {
            throw new IllegalArgumentException("--batch " + config.batch() + " is larger than the "
                    + data.train().size() + " training images, so an epoch would have no full batch; lower --batch"
                    + " or raise --limit-train.");
        }
        Rng rng = new Rng(config.seed());
        Module model = ModelZoo.create(config.model(),
                new ModelZoo.Request(facts.channels(), facts.numClasses(), rng.split("init")));
        Sgd sgd = Sgd.builder(model.namedParameters()).setLearningRate(config.lr()).optMomentum(config.momentum())
                .optNesterov(config.nesterov()).optWeightDecay(config.weightDecay())
                .optNoWeightDecay(config.noDecayBnBias() ? Sgd.oneDimensional(model.namedParameters()) : name -> false)
                .build();
        int startEpoch = 0;
        long step = 0;
        if (resumeFrom == null) {
            run.createForNewRun();
        } else {
            DataFacts stored = DataFacts.fromMap(resumeFrom.config());
            if (!stored.equals(facts)) {
                throw new IllegalStateException("the data of " + config.data() + " differs from what the run in "
                        + run.root() + " was trained on (" + String.join("; ", facts.differences(stored))
                        + "); resume with the same data, or start a new run with another --out");
            }
            resumeFrom.restore(model, sgd);
            startEpoch = Math.toIntExact(resumeFrom.epoch());
            step = resumeFrom.step();
            run.keepMetricsUpTo(startEpoch);
        }
        run.writeConfig(configJson(facts));
        String weights = StateDigest.sha256(model);
        manifest = resumeFrom == null
                ? ManifestRecorder.start(run.manifest(), config, settings.digestEvery(), seeds(), data, facts, weights)
                : ManifestRecorder.resume(run.manifest(), config, settings.digestEvery(), seeds(), data, facts,
                        startEpoch, weights);
        if (!observer.started(manifest.manifest())) {
            return new Result(startEpoch, step, null, false);
        }

        Normalize normalize = data.normalize();
        List<Transform> trainTransforms = config.augment()
                ? List.of(new RandomCrop(config.cropPadding()), new RandomHorizontalFlip(), normalize)
                : List.of(normalize);
        try (DataLoader train = DataLoader.builder().setDataset(data.train()).setBatchSize(config.batch())
                .setRng(rng.split("data")).optTransforms(trainTransforms).optDropLast(true).build();
             DataLoader test = DataLoader.builder().setDataset(data.test()).setBatchSize(config.batch())
                     .setRng(rng.split("test data")).optShuffle(false).optTransforms(normalize).build()) {
            printHeader(model, data, train, resumeFrom);
            LearningRateSchedule schedule = config.schedule(train.batchesPerEpoch());
            CrossEntropyLoss criterion = config.criterion();
            Evaluation lastTest = null;
            int epoch = startEpoch;
            boolean observerGoesOn = true;
            while (observerGoesOn && epoch < config.epochs()
                    && (settings.stopAfterEpoch() == 0 || epoch < settings.stopAfterEpoch())) {
                EpochStats stats = trainEpoch(model, sgd, train, schedule, criterion, epoch, step);
                step += stats.steps;
                epoch++;
                lastTest = finishEpoch(model, sgd, train, test, facts, epoch, step, stats);
                observerGoesOn = observer.epochEnded(manifest.lastEpoch());
            }
            boolean finished = epoch >= config.epochs();
            if (finished) {
                progress.line(String.format(Locale.ROOT,
                        "Finished %s: test accuracy %.2f%% (top-5 %.2f%%), test loss %.4f. Files in %s.",
                        count(epoch, "epoch"), 100 * lastTest.top1(), 100 * lastTest.top5(), lastTest.loss(),
                        run.root()));
            } else if (observerGoesOn) {
                progress.line("Stopped after epoch " + epoch + " of " + config.epochs() + " as asked; continue with: "
                        + "vista train --out " + run.root() + " --resume");
            }
            return new Result(epoch, step, lastTest, finished);
        }
    }

    /**
     * After epoch {@code epoch} (from 1): checks the weights, evaluates on the test split, replaces the
     * checkpoint, appends the metrics and prints the epoch's summary; returns the test evaluation.
     */
    private Evaluation finishEpoch(Module model, Sgd sgd, DataLoader train, DataLoader test, DataFacts facts,
                                   int epoch, long step, EpochStats stats) throws IOException {
        checkWeights(model, epoch, step);
        int testImages = test.dataset().size();
        Evaluation result = Evaluation.run(model, test, facts.numClasses(),
                done -> progress.testStep(done, testImages));
        if (!Double.isFinite(result.loss())) {
            progress.clear();
            throw diverged(epoch, step, "the test loss after the epoch is " + result.loss()
                    + ", although every training loss and every weight was finite");
        }
        Map<String, Object> metrics = metrics(epoch, step, stats, result);
        manifest.epochEnded(new RunManifest.EpochRecord(epoch, manifest.session(), train.shuffleSeed(epoch - 1),
                train.samplesPerEpoch(), Digests.ints(train.sampleOrder(epoch - 1)), step - stats.steps + 1,
                stats.losses, stats.digests, StateDigest.sha256(model), StateDigest.sha256(sgd.stateDict()),
                JSON.toJsonTree(metrics).getAsJsonObject()), epoch >= config.epochs());
        Map<String, String> stored = new LinkedHashMap<>(config.toMap());
        stored.putAll(facts.toMap());
        new Checkpoint(stored, epoch, step, Map.of("seed", config.seed()), model.stateDict(), sgd.stateDict())
                .write(run.checkpoint());
        run.appendMetrics(metrics);
        progress.line(String.format(Locale.ROOT, "epoch %d/%d: train loss %.4f acc %.2f%% | test loss %.4f acc %.2f%%"
                        + " top-5 %.2f%% | lr %.4g | %s, %.1f img/s", epoch, config.epochs(), stats.loss(),
                100 * stats.accuracy(), result.loss(), 100 * result.top1(), 100 * result.top5(), stats.lastRate,
                Progress.duration(stats.seconds()), stats.images / stats.seconds()));
        return result;
    }

    /** Sums over one epoch's training steps. */
    private static final class EpochStats {
        long images;
        long correct;
        double lossSum;
        int steps;
        double lastRate;
        long nanos;
        final List<Double> losses = new ArrayList<>();
        final List<RunManifest.StepDigest> digests = new ArrayList<>();

        double loss() {
            return lossSum / images;
        }

        double accuracy() {
            return (double) correct / images;
        }

        double seconds() {
            return nanos / 1e9;
        }
    }

    private EpochStats trainEpoch(Module model, Sgd sgd, DataLoader train, LearningRateSchedule schedule,
                                  CrossEntropyLoss criterion, int epoch, long firstStep) {
        model.train(true);
        EpochStats stats = new EpochStats();
        int steps = train.batchesPerEpoch();
        long start = System.nanoTime();
        for (Batch batch : train.epoch(epoch)) {
            long step = firstStep + stats.steps;
            double rate = schedule.learningRate(step);
            sgd.setLearningRate(rate);
            sgd.zeroGrad();
            Variable logits = model.forward(new Variable(batch.images()));
            Variable objective = criterion.forward(logits, batch.labels());
            double loss = objective.item();
            if (!Double.isFinite(loss)) {
                progress.clear();
                throw diverged(epoch + 1, step + 1, "the training loss is " + loss + " at step " + (stats.steps + 1)
                        + " of " + steps + " of the epoch (learning rate " + rate + ")");
            }
            objective.backward();
            sgd.step();
            stats.steps++;
            long taken = step + 1;
            String digest = taken % manifest.digestEvery() == 0 ? StateDigest.sha256(model) : null;
            if (digest != null) {
                stats.digests.add(new RunManifest.StepDigest(taken, digest));
            }
            stats.losses.add(loss);
            observer.stepped(taken, loss, digest);
            stats.lastRate = rate;
            stats.images += batch.size();
            stats.lossSum += loss * batch.size();
            stats.correct += correct(logits.data(), batch.labels());
            stats.nanos = System.nanoTime() - start;
            progress.trainStep(epoch + 1, config.epochs(), stats.steps, steps, stats.images, stats.nanos,
                    stats.loss(), stats.accuracy());
        }
        return stats;
    }

    private static long correct(Tensor logits, int[] labels) {
        float[] z = logits.toFloatArray();
        int k = z.length / labels.length;
        long n = 0;
        for (int i = 0; i < labels.length; i++) {
            if (Evaluation.argmax(z, i * k, k) == labels[i]) {
                n++;
            }
        }
        return n;
    }

    /** Stops if a weight or buffer is not finite: the epoch's last steps diverged without a bad loss yet. */
    private void checkWeights(Module model, int epoch, long step) {
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            for (float v : e.getValue().toFloatArray()) {
                if (!Float.isFinite(v)) {
                    progress.clear();
                    throw diverged(epoch, step, "the model's " + e.getKey() + " contains " + v
                            + " after the epoch's last step, although every loss was finite");
                }
            }
        }
    }

    private TrainingDivergedException diverged(int epoch, long step, String what) {
        String keep = epoch > 1
                ? "The last good checkpoint, after epoch " + (epoch - 1) + ", is " + run.checkpoint() + "."
                : "No checkpoint has been written: the first is written when epoch 1 ends with finite results.";
        return new TrainingDivergedException(epoch, step, "Training diverged in epoch " + epoch + ", step " + step
                + ": " + what + ". " + keep + " Lower --lr (it is " + config.lr() + ") or add --warmup-epochs,"
                + " then start a new run.");
    }

    private void printHeader(Module model, TrainingData data, DataLoader train, Checkpoint resumeFrom) {
        if (resumeFrom != null) {
            progress.line("Resuming " + run.root() + " after epoch " + resumeFrom.epoch() + " (step "
                    + resumeFrom.step() + ").");
        }
        progress.line(String.format(Locale.ROOT, "Training %s (%,d parameters) on %s: %d images of %d x %d x %d,"
                        + " %d classes; testing on %d images.", config.model(), model.parameterCount(),
                data.train().name(), data.train().size(), data.train().channels(), data.train().height(),
                data.train().width(), data.train().numClasses(), data.test().size()));
        progress.line(String.format(Locale.ROOT, "%s of %s of %d images, lr %s (%s schedule), %s; run folder %s.",
                count(config.epochs(), "epoch"), count(train.batchesPerEpoch(), "step"), config.batch(), config.lr(),
                config.schedule(), count(Parallel.threads(), "thread"), run.root()));
    }

    /**
     * The run's random streams as the manifest records them: each is split from the seed by name
     * ({@link Rng#split(String)}) or by number ({@link Rng#split(long)}), exactly as {@link #run} and the
     * {@link DataLoader} derive them.
     */
    private RunManifest.Seeds seeds() {
        Rng root = new Rng(config.seed());
        return new RunManifest.Seeds(config.seed(), List.of(
                new RunManifest.Stream("init", "seed.split(\"init\")", root.split("init").seed(),
                        "the model's initial weights (ModelZoo, in module order)"),
                new RunManifest.Stream("data", "seed.split(\"data\")", root.split("data").seed(),
                        "the training loader; the two families below split from it"),
                new RunManifest.Stream("shuffle", "seed.split(\"data\").split(\"shuffle\").split(epoch)", null,
                        "epoch e's sample order (Fisher-Yates; epochs counted from 0; each epoch's seed is in"
                                + " its record)"),
                new RunManifest.Stream("augment",
                        "seed.split(\"data\").split(\"augment\").split(epoch).split(sample).split(transform)", null,
                        "random crop and flip of one training image in one epoch"),
                new RunManifest.Stream("test data", "seed.split(\"test data\")", root.split("test data").seed(),
                        "the test loader, which neither shuffles nor augments, so draws nothing")));
    }

    /** "1 epoch", "2 epochs". */
    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private Map<String, Object> configJson(DataFacts facts) {
        Map<String, Object> json = new LinkedHashMap<>(config.toJson());
        json.putAll(facts.toJson());
        json.put("threads", Parallel.threads());
        json.put("out", run.root().toString());
        json.put("stop_after_epoch", settings.stopAfterEpoch());
        return json;
    }

    private static Map<String, Object> metrics(int epoch, long step, EpochStats stats, Evaluation test) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("step", step);
        m.put("train_loss", stats.loss());
        m.put("train_acc", stats.accuracy());
        m.put("test_loss", test.loss());
        m.put("test_acc", test.top1());
        m.put("test_top5", test.top5());
        m.put("lr", stats.lastRate);
        m.put("seconds", stats.seconds());
        m.put("images_per_second", stats.images / stats.seconds());
        return m;
    }
}

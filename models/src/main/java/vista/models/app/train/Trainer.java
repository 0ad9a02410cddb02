package vista.models.app.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import vista.autograd.Variable;
import vista.data.Batch;
import vista.data.DataLoader;
import vista.data.Normalize;
import vista.data.RandomCrop;
import vista.data.RandomHorizontalFlip;
import vista.data.Transform;
import vista.models.app.cluster.Collective;
import vista.models.app.cluster.LocalCollective;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.checkpoint.Checkpoint;
import vista.nn.loss.CrossEntropyLoss;
import vista.nn.optim.LearningRateSchedule;
import vista.nn.optim.Sgd;
import vista.tensor.BufferPool;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * The training loop of {@code vista train}: SGD on mini-batches, a test evaluation and a checkpoint after
 * every epoch.
 *
 * <p><b>One step</b> (t counts optimiser steps over the whole run, from 0):
 * <pre>
 *   η = schedule(t);  zero the gradients;  logits = model(images);  L = criterion(logits, labels)
 *   stop if L is NaN or infinite;  backward;  SGD update with η;  t = t + 1
 * </pre>
 * With {@code shards} S > 1, or as a worker of a cluster, the forward and backward passes run per shard
 * and the shards' gradients and BatchNorm statistics are averaged in a fixed tree ({@link ShardedStep})
 * before the same SGD update; L is then the mean of the shard losses. Only rank 0 of a cluster writes
 * the run folder; every worker runs every step's update and the test evaluation itself.
 * Training images are shuffled each epoch and, with {@code augment}, randomly cropped from a zero-padded
 * copy and flipped left-right, then normalised; the last partial batch of an epoch is dropped (BatchNorm
 * statistics of a handful of images are noise), so an epoch has floor(N / batch) steps. After the epoch
 * the weights are checked to be finite, the model is evaluated on the test split ({@link Evaluation}),
 * the checkpoint is replaced and a line is appended to the metrics ({@link RunDirectory},
 * {@link TrainingObserver.Epoch#metrics()}).
 *
 * <p><b>Randomness and resuming.</b> Everything random derives from the seed through named streams:
 * {@code seed.split("init")} initialises the model (then, when fine-tuning, the config's starting weights
 * replace it, the classifier's excepted with {@code reinit_head}: {@link StartingWeights}); {@code seed.split("data")} feeds the training
 * loader, whose shuffling depends only on (seed, epoch) and whose augmentation only on (seed, epoch,
 * image index) (see {@link DataLoader}); {@code seed.split("test data")} is the test loader's, which
 * draws nothing. The learning rate depends only on t. So the state after epoch e is entirely in the
 * checkpoint (weights, BatchNorm running statistics, SGD velocities, e, t, the config), and a run
 * resumed from it computes the same bits as one that never stopped. The checkpoint's random-number entry
 * is just {@code seed}: no generator carries state from one epoch to the next.
 *
 * <p><b>Observers.</b> Everything else a run does is a {@link TrainingObserver}'s: the progress display
 * ({@link TrainingProgress}), the run's manifest and the weights' fingerprints
 * ({@code vista.models.app.provenance}), a replay's comparison with its record.
 */
public final class Trainer {
    /**
     * How to run, beyond what is computed.
     *
     * @param out            the run folder
     * @param stopAfterEpoch stop after this epoch (from 1) as if interrupted, to continue later with
     *                       {@code --resume}; 0 to run all epochs
     */
    public record Settings(Path out, int stopAfterEpoch) {
        /** The problems with these settings, as sentences; empty if there are none. */
        public List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (stopAfterEpoch < 0) {
                problems.add("--stop-after-epoch must be at least 1 (or 0: run every epoch), got " + stopAfterEpoch
                        + ".");
            }
            return problems;
        }
    }

    /** How a session ended. */
    public enum Ending {
        /** Every epoch of the config is done. */
        FINISHED,
        /** The run was resumed after its last epoch: nothing was done. */
        ALREADY_FINISHED,
        /** It stopped after {@link Settings#stopAfterEpoch()}, to be resumed. */
        STOPPED_AS_ASKED,
        /** An observer stopped it. */
        STOPPED_BY_OBSERVER
    }

    /**
     * What a session ended with.
     *
     * @param folder the run folder
     * @param epochs epochs finished, counting those of earlier sessions
     * @param steps  optimiser steps taken, counting those of earlier sessions
     * @param test   the test evaluation after the last epoch of this session (null if it ran none)
     * @param ending how it ended
     */
    public record Result(Path folder, int epochs, long steps, Evaluation test, Ending ending) {
    }

    private final TrainConfig config;
    private final Settings settings;
    private final RunDirectory run;
    private final TrainingObserver observer;
    /**
     * The arrays of a step's activations, gradients and scratch, reused from step to step
     * ({@link BufferPool}): inside its scope nothing computed before {@code backward()} is kept past it
     * except copies.
     */
    private final BufferPool buffers = new BufferPool();
    private final Collective world;

    private Trainer(TrainConfig config, Settings settings, TrainingObserver observer, Collective world) {
        this.config = config;
        this.settings = settings;
        this.run = new RunDirectory(settings.out());
        this.observer = observer;
        this.world = world;
    }

    /**
     * Starts a new run of {@code config} in {@code settings.out()}, which must not hold a run yet, with
     * {@code observer} watching it.
     *
     * @throws TrainingDivergedException if a loss or weight becomes NaN or infinite
     * @throws IOException if the data or the run folder cannot be read or written
     */
    public static Result start(TrainConfig config, Settings settings, TrainingObserver observer) throws IOException {
        return start(config, settings, observer, new LocalCollective());
    }

    /** Starts a new run as one worker of {@code world}: rank 0 writes the run folder, the others nothing. */
    public static Result start(TrainConfig config, Settings settings, TrainingObserver observer, Collective world)
            throws IOException {
        return new Trainer(config, settings, observer, world).run(null);
    }

    /**
     * Continues the run whose last checkpoint is {@code checkpoint} (read from {@code settings.out()}) with
     * the checkpoint's config; the data must be the same as when it was written.
     */
    public static Result resume(Checkpoint checkpoint, Settings settings, TrainingObserver observer)
            throws IOException {
        return resume(checkpoint, settings, observer, new LocalCollective());
    }

    /** Continues a run as one worker of {@code world}, from the checkpoint rank 0 read and sent. */
    public static Result resume(Checkpoint checkpoint, Settings settings, TrainingObserver observer, Collective world)
            throws IOException {
        return new Trainer(TrainConfig.fromMap(checkpoint.config()), settings, observer, world).run(checkpoint);
    }

    private Result run(Checkpoint resumeFrom) throws IOException {
        if (resumeFrom != null && resumeFrom.epoch() >= config.epochs()) {
            return ended(new Result(run.root(), config.epochs(), resumeFrom.step(), null, Ending.ALREADY_FINISHED));
        }
        TrainingData data = TrainingData.load(config.data(), config.limitTrain(), config.limitTest());
        DataFacts facts = DataFacts.of(data);
        List<String> problems = config.problemsWith(data);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join(" ", problems));
        }
        Rng rng = new Rng(config.seed());
        Module model = config.createModel(facts);
        Sgd sgd = optimizer(model);
        int firstEpoch = resumeFrom == null ? 0 : Math.toIntExact(resumeFrom.epoch());
        if (resumeFrom == null) {
            if (!config.initWeights().isEmpty()) {
                StartingWeights.load(model, Path.of(config.initWeights()), config.reinitHead());
            }
            if (writesFiles()) {
                run.createForNewRun();
            }
        } else {
            restore(resumeFrom, facts, model, sgd);
        }
        ClusterTraining.requireSameStart(world, data, model);
        if (writesFiles()) {
            run.removeStaleTemporaries();
            run.writeConfig(config, facts, settings.stopAfterEpoch());
        }
        Normalize normalize = data.normalize();
        try (DataLoader train = DataLoader.builder().setDataset(config.augment() ? data.train() : data.train().plain())
                .setBatchSize(config.batch())
                .setRng(rng.split("data")).optTransforms(trainTransforms(data.augmentation(), normalize)).optDropLast(true).build();
             DataLoader test = DataLoader.builder().setDataset(data.test()).setBatchSize(config.batch())
                     .setRng(rng.split("test data")).optShuffle(false).optTransforms(normalize).build()) {
            TrainingObserver.Session session = new TrainingObserver.Session(config, run, data, facts, model, train,
                    firstEpoch, resumeFrom == null ? 0 : resumeFrom.step(), resumeFrom != null);
            if (!observer.sessionStarted(session)) {
                return ended(new Result(run.root(), firstEpoch, session.firstStep(), null, Ending.STOPPED_BY_OBSERVER));
            }
            return ended(epochs(session, sgd, test));
        } catch (TrainingDivergedException e) {
            observer.diverged(e);
            throw e;
        }
    }

    /** The epochs of one session: each trains, is tested, saved, and told to the observers. */
    private Result epochs(TrainingObserver.Session session, Sgd sgd, DataLoader test) throws IOException {
        Module model = session.model();
        LearningRateSchedule schedule = config.schedule(session.train().batchesPerEpoch());
        int lastEpoch = settings.stopAfterEpoch() == 0 ? config.epochs()
                : Math.min(config.epochs(), settings.stopAfterEpoch());
        int epoch = session.firstEpoch();
        long t = session.firstStep();
        Evaluation tested = null;
        boolean goOn = true;
        while (goOn && epoch < lastEpoch) {
            EpochStats sums = trainEpoch(model, sgd, session.train(), schedule, epoch, t);
            t += sums.steps();
            epoch++;
            tested = test(model, test, session.facts(), epoch, t);
            TrainingObserver.Epoch finished = new TrainingObserver.Epoch(epoch, t, sums, tested, model, sgd);
            observer.epochFinished(finished);
            if (writesFiles()) {
                run.writeCheckpoint(config, session.facts(), epoch, t, model, sgd);
                run.appendMetrics(finished.metrics());
            }
            world.barrier();
            goOn = observer.epochSaved(finished);
        }
        Ending ending = epoch >= config.epochs() ? Ending.FINISHED
                : goOn ? Ending.STOPPED_AS_ASKED : Ending.STOPPED_BY_OBSERVER;
        return new Result(run.root(), epoch, t, tested, ending);
    }

    /** One epoch (from 0) of steps, the first of which is step {@code t}; returns its sums. */
    private EpochStats trainEpoch(Module model, Sgd sgd, DataLoader train, LearningRateSchedule schedule, int epoch,
                                  long t) {
        CrossEntropyLoss criterion = config.criterion();
        model.train(true);
        EpochStats sums = new EpochStats();
        ShardedStep sharded = config.shards() > 1 || world.worldSize() > 1
                ? new ShardedStep(model, criterion, config.shards(), world) : null;
        long communicationBefore = world.communicationNanos();
        for (Batch batch : train.epoch(epoch)) {
            double rate = schedule.learningRate(t);
            sgd.setLearningRate(rate);
            double loss;
            Tensor logits;
            try (BufferPool.Scope reuse = buffers.use()) {
                if (sharded == null) {
                    sgd.zeroGrad();
                    Variable output = model.forward(new Variable(batch.images()));
                    Variable objective = criterion.forward(output, batch.labels());
                    loss = objective.item();
                    requireFinite(loss, epoch, t, sums.steps(), train.batchesPerEpoch(), rate);
                    logits = output.data().copy(); // the backward pass gives the output's array back to the pool
                    objective.backward();
                } else {
                    ShardedStep.Outcome outcome = sharded.run(batch);
                    loss = outcome.loss();
                    requireFinite(loss, epoch, t, sums.steps(), train.batchesPerEpoch(), rate);
                    logits = outcome.logits();
                }
                sgd.step();
            }
            t++;
            sums.add(batch, logits, loss, rate);
            observer.stepFinished(new TrainingObserver.Step(epoch + 1, t, loss, sums, model));
        }
        if (world.worldSize() > 1) {
            sums.setCommunicationNanos(world.communicationNanos() - communicationBefore);
        }
        return sums;
    }

    /**
     * Stops the run if the training loss of step {@code t + 1} (step {@code stepsDone + 1} of epoch
     * {@code epoch + 1}) is NaN or infinite.
     */
    private void requireFinite(double loss, int epoch, long t, int stepsDone, int stepsPerEpoch, double rate) {
        if (!Double.isFinite(loss)) {
            throw diverged(epoch + 1, t + 1, "the training loss is " + loss + " at step " + (stepsDone + 1) + " of "
                    + stepsPerEpoch + " of the epoch (learning rate " + rate + ")");
        }
    }

    /** SGD on the model's parameters as the config asks (momentum, Nesterov, weight decay and its exclusions). */
    private Sgd optimizer(Module model) {
        return Sgd.builder(model.namedParameters()).setLearningRate(config.lr()).optMomentum(config.momentum())
                .optNesterov(config.nesterov()).optWeightDecay(config.weightDecay())
                .optNoWeightDecay(config.noDecayBnBias() ? Sgd.oneDimensional(model.namedParameters()) : name -> false)
                .build();
    }

    /**
     * With {@code augment}: the data's own augmentation ({@code folder:} data with ImageNet preprocessing), or
     * else a random crop of a zero-padded copy and a random left-right flip; then {@code normalize}.
     */
    private List<Transform> trainTransforms(List<Transform> dataAugmentation, Normalize normalize) {
        if (!config.augment()) {
            return List.of(normalize);
        }
        List<Transform> augmentation = dataAugmentation.isEmpty()
                ? List.of(new RandomCrop(config.cropPadding()), new RandomHorizontalFlip()) : dataAugmentation;
        List<Transform> all = new ArrayList<>(augmentation);
        all.add(normalize);
        return all;
    }

    /** Restores the checkpoint into {@code model} and {@code sgd}, after checking that its data had {@code facts}. */
    private void restore(Checkpoint checkpoint, DataFacts facts, Module model, Sgd sgd) throws IOException {
        DataFacts stored = DataFacts.fromMap(checkpoint.config());
        if (!stored.equals(facts)) {
            throw new IllegalStateException("the data of " + config.data() + " differs from what the run in "
                    + run.root() + " was trained on (" + String.join("; ", facts.differences(stored))
                    + "); resume with the same data, or start a new run with another --out");
        }
        checkpoint.restore(model, sgd);
        if (writesFiles()) {
            run.keepMetricsUpTo(checkpoint.epoch());
        }
    }

    /** Only rank 0 of a cluster writes the run folder (a single process is rank 0). */
    private boolean writesFiles() {
        return world.rank() == 0;
    }

    /**
     * After epoch {@code epoch} (from 1) and step {@code step}: checks that the weights are finite, then
     * evaluates the model on the test split and checks that the test loss is finite.
     */
    private Evaluation test(Module model, DataLoader test, DataFacts facts, int epoch, long step) {
        String nonFinite = Evaluation.nonFiniteValue(model.stateDict());
        if (nonFinite != null) {
            throw diverged(epoch, step, "the model's " + nonFinite + " after the epoch's last step, although every"
                    + " loss was finite");
        }
        int images = test.dataset().size();
        Evaluation result = Evaluation.run(model, test, facts.numClasses(),
                done -> observer.testBatchFinished(done, images));
        if (!Double.isFinite(result.loss())) {
            throw diverged(epoch, step, "the test loss after the epoch is " + result.loss()
                    + ", although every training loss and every weight was finite");
        }
        return result;
    }

    private TrainingDivergedException diverged(int epoch, long step, String what) {
        String keep = epoch > 1
                ? "The last good checkpoint, after epoch " + (epoch - 1) + ", is " + run.checkpoint() + "."
                : "No checkpoint has been written: the first is written when epoch 1 ends with finite results.";
        return new TrainingDivergedException(epoch, step, "Training diverged in epoch " + epoch + ", step " + step
                + ": " + what + ". " + keep + " Lower --lr (it is " + config.lr() + ") or add --warmup-epochs,"
                + " then start a new run.");
    }

    private Result ended(Result result) {
        observer.runFinished(result);
        return result;
    }
}

package vista.models.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vista.models.app.cluster.ClusterFailure;
import vista.models.app.provenance.RunRecording;
import vista.models.app.train.RunDirectory;
import vista.models.app.train.TrainConfig;
import vista.models.app.train.Trainer;
import vista.models.app.train.TrainingData;
import vista.models.app.train.TrainingDivergedException;
import vista.models.app.train.TrainingObserver;
import vista.models.app.train.TrainingProgress;
import vista.models.zoo.ModelZoo;
import vista.nn.checkpoint.Checkpoint;

/**
 * {@code vista train}: trains a model of the zoo on an image data set with SGD, evaluating on the test
 * split and writing a checkpoint after every epoch (see {@link Trainer} for the loop and the files).
 *
 * <p>Exit status: 0 when the run finished (or stopped after {@code --stop-after-epoch}), 1 when it
 * failed (missing data, a diverging loss, an unreadable checkpoint), 2 for invalid options.
 *
 * <p>{@code --resume} continues the run in {@code --out} from its checkpoint with the options stored in
 * it; options that shape the result may be repeated but not changed (only {@code --threads},
 * {@code --progress} and {@code --stop-after-epoch} may differ), so the resumed run gives the same
 * weights, bit for bit, as one that never stopped.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a model on an image data set; test and checkpoint after every epoch.",
            "Writes OUT/config.json (every resolved option), OUT/metrics.jsonl (one JSON line per epoch),"
                + " OUT/checkpoint.vckp (weights, optimizer state, position and config; continue with --resume) and"
                + " OUT/manifest.json (what went in and came out; check it with vista replay)."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "resnet26-small", paramLabel = "NAME",
            description = "The model, one of: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = ModelNames.class)
    String model;

    @Mixin
    DataOption data = new DataOption(TrainingData.FASHION_MNIST);

    @Option(names = "--epochs", defaultValue = "1", paramLabel = "N",
            description = "Passes over the training images (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "128", paramLabel = "N",
            description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.1", paramLabel = "RATE",
            description = "Base learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--momentum", defaultValue = "0.9", paramLabel = "M",
            description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--nesterov", description = "Use Nesterov momentum.")
    boolean nesterov;

    @Option(names = "--weight-decay", defaultValue = "5e-4", paramLabel = "L2",
            description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--no-decay-bn-bias",
            description = "Exclude BatchNorm weights and biases (all 1-d parameters) from weight decay.")
    boolean noDecayBnBias;

    @Option(names = "--label-smoothing", defaultValue = "0", paramLabel = "EPS",
            description = "Label smoothing epsilon in [0, 1) (default: ${DEFAULT-VALUE}).")
    double labelSmoothing;

    @Option(names = "--smoothing-style", defaultValue = "torch", paramLabel = "torch|san",
            description = "torch: eps/K on every class; san: eps/(K-1) on each wrong class"
                    + " (default: ${DEFAULT-VALUE}).")
    String smoothingStyle;

    @Option(names = "--schedule", defaultValue = "cosine", paramLabel = "cosine|cosine-epoch|step",
            description = "Learning rate: cosine to 0 set every step, cosine-epoch set once per epoch (the official "
                    + "SAN recipe), or step decay (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--warmup-epochs", defaultValue = "0", paramLabel = "N",
            description = "Epochs of linear warmup (default: ${DEFAULT-VALUE}).")
    int warmupEpochs;

    @Option(names = "--lr-step-epochs", defaultValue = "30", paramLabel = "N",
            description = "Step schedule: epochs between decays (default: ${DEFAULT-VALUE}).")
    int lrStepEpochs;

    @Option(names = "--lr-gamma", defaultValue = "0.1", paramLabel = "G",
            description = "Step schedule: factor of each decay (default: ${DEFAULT-VALUE}).")
    double lrGamma;

    @Option(names = "--augment", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Random crop (zero padding) and horizontal flip of training images (with --data folder:DIR"
                    + " and --preprocess imagenet: random resized crop and flip): on unless --no-augment.")
    boolean augment;

    @Option(names = "--crop-padding", defaultValue = "4", paramLabel = "PIXELS",
            description = "Padding of the random crop, in pixels (default: ${DEFAULT-VALUE}).")
    int cropPadding;

    @Mixin
    SeedOption seed;

    @Option(names = "--limit-train", defaultValue = "0", paramLabel = "N",
            description = "Use only the first N training images (default: all).")
    int limitTrain;

    @Option(names = "--limit-test", defaultValue = "0", paramLabel = "N",
            description = "Use only the first N test images (default: all).")
    int limitTest;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "Fine-tune: start from the weights of FILE (PyTorch .pth/.pt, safetensors or a Vista"
                    + " checkpoint, recognised by content) instead of a random initialisation.")
    Path weights;

    @Option(names = "--reinit-head",
            description = "With --weights: start the classifier (fc) afresh, for data whose classes differ from"
                    + " the weights'.")
    boolean reinitHead;

    @Option(names = "--attention-recipe", defaultValue = "tuned", paramLabel = "tuned|lineage|paper",
            description = "SASA networks only: lineage scales the attention logits by 1/sqrt(dh) and starts every"
                    + " block's last BatchNorm at 0; tuned (default) also draws the relative embeddings from N(0, 1);"
                    + " paper is the formula as printed (see README, SASA).")
    String attentionRecipe;

    @Option(names = "--shards", defaultValue = "1", paramLabel = "S",
            description = "Split each batch into S shards of equal size, each normalised with its own BatchNorm"
                    + " statistics, their gradients averaged in a fixed order, as data-parallel training on S replicas"
                    + " (default: ${DEFAULT-VALUE}: no split).")
    int shards;

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The run folder (created if needed).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its checkpoint, with its stored options.")
    boolean resume;

    @Option(names = "--new-manifest",
            description = "With --resume, when OUT/manifest.json is missing: start a new one that records only the epochs"
                    + " from now on, without the initial weights (vista replay cannot replay such a run). Without it,"
                    + " such a resume is refused.")
    boolean newManifest;

    @Option(names = "--stop-after-epoch", defaultValue = "0", paramLabel = "E",
            description = "Stop after epoch E as if interrupted, keeping the checkpoint (continue with --resume).")
    int stopAfterEpoch;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--digest-every", defaultValue = "" + RunRecording.DEFAULT_DIGEST_EVERY, paramLabel = "N",
            description = "Record the weights' SHA-256 in manifest.json after every N steps, for vista replay to"
                    + " name the first step that differs (default: ${DEFAULT-VALUE}; every epoch is always recorded; a resumed"
                    + " run keeps its recorded value).")
    int digestEvery;

    @Mixin
    ProgressOption progress = new ProgressOption("auto");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The zoo's names, for the help text. */
    static final class ModelNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ModelZoo.names().iterator();
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TrainConfig requested = new TrainConfig(model, data.spec(), epochs, batch, lr, momentum, nesterov, weightDecay,
                noDecayBnBias, labelSmoothing, smoothingStyle, schedule, warmupEpochs, lrStepEpochs, lrGamma, augment,
                cropPadding, seed.value, limitTrain, limitTest,
                weights == null ? "" : weights.toAbsolutePath().normalize().toString(), reinitHead, attentionRecipe,
                shards);
        Trainer.Settings settings = new Trainer.Settings(this.out, stopAfterEpoch);
        List<String> problems = new ArrayList<>(settings.problems());
        problems.addAll(UsageError.all(RunDirectory.folderProblem(this.out), data.problem(),
                newManifest && !resume ? "--new-manifest only applies with --resume (a new run always starts its"
                        + " manifest)." : null,
                progress.problem(),
                digestEvery < 1 ? "--digest-every must be at least 1, got " + digestEvery + "." : null,
                threads.problem(), cluster.problem()));
        if (!resume) {
            problems.addAll(requested.problems());
        }
        if (!problems.isEmpty()) {
            return UsageError.report(spec, problems);
        }
        threads.apply();
        TrainingObserver observers = TrainingObserver.inOrder(RunRecording.observer(digestEvery, newManifest),
                new TrainingProgress(out, progress.mode()));
        try {
            if (cluster.isSet()) {
                ClusterRun.Display display = new ClusterRun.Display(digestEvery, newManifest, progress.mode(), out);
                return ClusterRun.train(cluster, requested, resume, settings, this::changedOptions, display::observers,
                        out, err);
            }
            if (resume) {
                Checkpoint checkpoint = new RunDirectory(this.out).readCheckpoint();
                List<String> changed = changedOptions(requested, TrainConfig.fromMap(checkpoint.config()));
                if (!changed.isEmpty()) {
                    return UsageError.report(spec, changed);
                }
                Trainer.resume(checkpoint, settings, observers);
            } else {
                Trainer.start(requested, settings, observers);
            }
            return 0;
        } catch (TrainingDivergedException | IOException | IllegalArgumentException | IllegalStateException
                 | ClusterFailure e) {
            out.flush();
            err.println("vista train: " + e.getMessage());
            err.flush();
            return 1;
        } catch (OutOfMemoryError e) {
            out.flush();
            long heapMegabytes = Runtime.getRuntime().maxMemory() / (1 << 20);
            err.println("vista train: Java ran out of memory (its heap may grow to " + heapMegabytes + " MB) with"
                    + " --batch " + batch + "; lower --batch, or allow a larger heap, e.g. VISTA_JAVA_OPTS=-Xmx12g"
                    + " ./vista train ...");
            err.flush();
            return 1;
        }
    }

    /**
     * The options given on the command line whose values differ from the resumed run's, each as a
     * sentence; {@code --resume} keeps the stored values, so a change would not take effect.
     */
    private List<String> changedOptions(TrainConfig requested, TrainConfig stored) {
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        Map<String, String> wanted = requested.toMap();
        Map<String, String> have = stored.toMap();
        List<String> changed = new ArrayList<>();
        wanted.forEach((key, value) -> {
            String option = key.equals("init_weights") ? "--weights" : "--" + key.replace('_', '-');
            if (given.hasMatchedOption(option) && !value.equals(have.get(key))) {
                changed.add(option + " " + value + " differs from the run's " + have.get(key) + ": --resume continues"
                        + " the run in " + this.out + " with its stored options, so leave " + option + " out, or start"
                        + " a new run with another --out.");
            }
        });
        return changed;
    }
}

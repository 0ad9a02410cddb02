package vista.models.determinism;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import vista.autograd.Variable;
import vista.models.zoo.resnet.ResNet;
import vista.models.zoo.resnet.ResNetSpec;
import vista.models.zoo.san.San;
import vista.models.zoo.san.SanSpec;
import vista.nn.Module;
import vista.nn.checkpoint.StateDigest;
import vista.nn.loss.CrossEntropyLoss;
import vista.nn.optim.Sgd;
import vista.tensor.BufferPool;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;
import vista.tensor.geometry.LocalAttentionWindow.Border;
import vista.tensor.runtime.Parallel;

/**
 * Trains four tiny models for a few SGD steps from a fixed seed and prints one line per model: its name
 * and the SHA-256 of its final state dict and of its SGD velocities ({@link StateDigest}: names, shapes
 * and raw float bits).
 * {@link TrainingDeterminismTest} runs it in this JVM with 1 to 4 threads, and in fresh JVMs with other
 * vector widths or the reference kernels, and compares the lines.
 *
 * <p>The models are the architectures of the PyTorch fixtures {@code tiny_resnet}, {@code tiny_sasa_resnet},
 * {@code tiny_san_pairwise} and {@code tiny_san_patchwise}, built from their specs; each takes
 * {@value #STEPS} steps of SGD (momentum, weight decay off BatchNorm and biases) with plain cross-entropy
 * on batches of {@value #BATCH} random {@value #SIDE} x {@value #SIDE} grey images with random labels.
 * Rows of {@value #SIDE} pixels end in the middle of a vector at every width (4, 8 or 16 lanes).
 */
public final class TrainingProbe {
    private static final int STEPS = 3;
    private static final int BATCH = 6;
    private static final int SIDE = 22;
    private static final int CLASSES = 10;
    private static final long SEED = 2025;

    /** A tiny model by name, built from its RNG. */
    private record TinyModel(String name, Function<Rng, Module> build) {
    }

    private static final List<TinyModel> MODELS = List.of(
            new TinyModel("tiny-resnet", rng -> new ResNet(tinyResNet(), rng)),
            new TinyModel("tiny-sasa-resnet", rng -> new ResNet(tinyResNet()
                    .withSpatial(ResNetSpec.Spatial.selfAttention(3, 2, Border.MASK)), rng)),
            new TinyModel("tiny-san-pairwise", rng -> new San(tinySan(SanSpec.Attention.pairwise()), rng)),
            new TinyModel("tiny-san-patchwise", rng -> new San(tinySan(SanSpec.Attention.patchwise()), rng)));

    private TrainingProbe() {
    }

    /** Prints {@link #digests()}; an argument sets the thread count first. */
    public static void main(String[] args) {
        if (args.length > 0) {
            Parallel.setThreads(Integer.parseInt(args[0]));
        }
        digests().forEach(System.out::println);
    }

    /** "name sha-256" of each tiny model after its training, in a fixed order. */
    static List<String> digests() {
        return digests(() -> null);
    }

    /**
     * {@link #digests()}, each model's steps run inside its own {@link BufferPool} from {@code pools}
     * (none when it gives null; a pool's arrays are reused from the second step on).
     */
    static List<String> digests(Supplier<BufferPool> pools) {
        List<String> lines = new ArrayList<>();
        for (TinyModel model : MODELS) {
            lines.add(model.name() + " " + train(model, pools.get()));
        }
        return lines;
    }

    /** The fixture {@code tiny_resnet}: a 3x3 stem to 8 channels, two stages of one bottleneck (4, 8 wide). */
    private static ResNetSpec tinyResNet() {
        return new ResNetSpec(1, CLASSES, new ResNetSpec.Stem(8, 3, 1, 1, false), new int[] {1, 1}, new int[] {4, 8},
                new int[] {1, 2}, 4, false);
    }

    /** The fixture {@code tiny_san_*}: a 32-channel stem, stages of 32 and 64 channels, 3x3 footprints. */
    private static SanSpec tinySan(SanSpec.Attention attention) {
        return new SanSpec(attention, 1, CLASSES, 32, new int[] {1, 1}, new int[] {32, 64}, new int[] {3, 3},
                new boolean[] {false, true}, Footprint.Padding.REFLECT);
    }

    private static String train(TinyModel tiny, BufferPool pool) {
        Rng rng = new Rng(SEED).split(tiny.name());
        Module model = tiny.build().apply(rng.split("init"));
        model.train(true);
        Sgd sgd = Sgd.builder(model.namedParameters()).setLearningRate(0.05).optMomentum(0.9).optWeightDecay(5e-4)
                .optNoWeightDecay(Sgd.oneDimensional(model.namedParameters())).build();
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        for (int step = 0; step < STEPS; step++) {
            Rng data = rng.split("batch").split(step);
            Tensor images = Tensor.randn(data, BATCH, 1, SIDE, SIDE);
            int[] labels = new int[BATCH];
            for (int i = 0; i < BATCH; i++) {
                labels[i] = data.nextInt(CLASSES);
            }
            try (BufferPool.Scope scope = pool == null ? null : pool.use()) {
                sgd.zeroGrad();
                criterion.forward(model.forward(new Variable(images)), labels).backward();
                sgd.step();
            }
        }
        return StateDigest.sha256(model) + " " + StateDigest.sha256(sgd.stateDict());
    }
}

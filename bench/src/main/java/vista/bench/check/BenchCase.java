package vista.bench.check;

import java.util.Arrays;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The figures {@code ./vista bench-check} measures. Each name is a key of the history
 * ({@code bench/history/figures.jsonl}), so it never changes; each case names the same work in
 * {@code bench/compare/pytorch_training.py}. The work is built in the JVM that times it, so each enum
 * constant only says how to build it.
 */
public enum BenchCase {
    /** An SGD step of {@code resnet26-mini} at batch 64 ({@link MiniTrainingStep}). */
    RESNET26_MINI_STEP("resnet26-mini-step", "mini_resnet_step", () -> new MiniTrainingStep("resnet26-mini")::run),
    /** An SGD step of {@code sasa-resnet26-mini} at batch 64. */
    SASA_RESNET26_MINI_STEP("sasa-resnet26-mini-step", "sasa_mini_step",
            () -> new MiniTrainingStep("sasa-resnet26-mini")::run),
    /** An SGD step of {@code san10-pairwise-mini} at batch 64. */
    SAN10_PAIRWISE_MINI_STEP("san10-pairwise-mini-step", "san_pairwise_mini_step",
            () -> new MiniTrainingStep("san10-pairwise-mini")::run),
    /** An SGD step of {@code san10-patchwise-mini} at batch 64. */
    SAN10_PATCHWISE_MINI_STEP("san10-patchwise-mini-step", "san_patchwise_mini_step",
            () -> new MiniTrainingStep("san10-patchwise-mini")::run),
    /** A 3x3 convolution 64 -> 64 on 8 x 56 x 56, forward and backward ({@link Conv3x3Pass}). */
    CONV3X3("conv3x3", "conv3x3", () -> new Conv3x3Pass()::run),
    /** {@code resnet26}'s inference form on one 224 x 224 image ({@link FoldedInference}). */
    RESNET26_INFERENCE("resnet26-inference", "resnet26_inference", () -> new FoldedInference("resnet26")::run),
    /** {@code sasa-resnet26}'s inference form on one 224 x 224 image. */
    SASA_RESNET26_INFERENCE("sasa-resnet26-inference", "sasa_resnet26_inference",
            () -> new FoldedInference("sasa-resnet26")::run),
    /** {@code san10-pairwise}'s inference form on one 224 x 224 image. */
    SAN10_PAIRWISE_INFERENCE("san10-pairwise-inference", "san10_pairwise_inference",
            () -> new FoldedInference("san10-pairwise")::run);

    private final String key;
    private final String torchCase;
    private final Supplier<DoubleSupplier> work;

    BenchCase(String key, String torchCase, Supplier<DoubleSupplier> work) {
        this.key = key;
        this.torchCase = torchCase;
        this.work = work;
    }

    /** The name in the history and on the command line. */
    public String key() {
        return key;
    }

    /** The same work's case name in {@code pytorch_training.py}. */
    public String torchCase() {
        return torchCase;
    }

    /** Builds the work (model, optimiser, data) and returns one repetition of it. */
    public DoubleSupplier work() {
        return work.get();
    }

    /**
     * The case named {@code key}.
     *
     * @throws IllegalArgumentException naming the known cases if there is none of that name
     */
    public static BenchCase of(String key) {
        for (BenchCase c : values()) {
            if (c.key.equals(key)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown bench-check case '" + key + "'; the cases are "
                + Arrays.stream(values()).map(BenchCase::key).collect(Collectors.joining(", ")));
    }
}

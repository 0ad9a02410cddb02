package vista.nn.san;

import vista.autograd.Variable;
import vista.autograd.functions.SanWeightMapping;
import vista.nn.BatchNorm2d;
import vista.nn.Conv2d;
import vista.nn.ReLU;
import vista.nn.Sequential;
import vista.tensor.Rng;
import vista.tensor.Shape;

/**
 * The parts SAN's attention blocks and networks are built from: 1x1 convolutions initialised as the
 * official code leaves them (PyTorch's default), and γ's two-layer mapping.
 */
final class SanLayers {
    /**
     * The relation tensor size (values) from which the blocks recompute γ ({@link SanWeightMapping}) rather
     * than compose it: 8 M values, 32 MB. Below it the composed layers are faster (six passes of small
     * tensors cost more than they save: 72% of a {@code san10-pairwise-mini} step at batch 64) and the
     * memory is small anyway; SAN's layer1 blocks at batch 8 hold 20 to 22 M.
     */
    static final long RECOMPUTE_FROM = 1L << 23;

    private SanLayers() {
    }

    /**
     * A 1x1 convolution with PyTorch's default initialisation, which the official SAN code keeps:
     * weight and bias uniform on {@code [-1/sqrt(fan_in), 1/sqrt(fan_in))}, weight first.
     */
    static Conv2d pointwise(int in, int out, boolean bias, Rng rng) {
        return Conv2d.builder().setChannels(in, out).setKernel(1).optBias(bias)
                .optInitialisation(Conv2d.Initialisation.PYTORCH_DEFAULT).build(rng);
    }

    /**
     * γ, the official {@code conv_w}: {@code BN(in) -> ReLU -> 1x1 (in -> hidden, no bias) -> BN(hidden)
     * -> ReLU -> 1x1 (hidden -> out, with bias)}, children named "0" to "5".
     */
    static Sequential mapping(int in, int hidden, int out, Rng rng) {
        return new Sequential(new BatchNorm2d(in), new ReLU(), pointwise(in, hidden, false, rng.split("2")),
                new BatchNorm2d(hidden), new ReLU(), pointwise(hidden, out, true, rng.split("5")));
    }

    /**
     * γ ({@code mapping}, as {@link #mapping} builds it) applied through {@link SanWeightMapping} to the
     * relation of {@code relationInputs}, the BatchNorms' running averages updated as their own training
     * passes would: the aggregation weights {@code (N, Cw, neighbours, pixels)}.
     */
    static Variable recomputedMapping(Sequential mapping, SanWeightMapping.Relation relation, int neighbours,
            int pixels, boolean softmax, Variable... relationInputs) {
        BatchNorm2d first = (BatchNorm2d) mapping.children().get("0");
        Conv2d hidden = (Conv2d) mapping.children().get("2");
        BatchNorm2d second = (BatchNorm2d) mapping.children().get("3");
        Conv2d output = (Conv2d) mapping.children().get("5");
        SanWeightMapping op = new SanWeightMapping(relation, neighbours, pixels, softmax, first.eps());
        Variable weights = op.apply(relationInputs, first.weight(), first.bias(), hidden.weight(), second.weight(),
                second.bias(), output.weight(), output.bias());
        SanWeightMapping.Statistics s0 = op.statistics(0);
        first.updateRunningStatistics(s0.mean(), s0.variance(), s0.count());
        SanWeightMapping.Statistics s1 = op.statistics(1);
        second.updateRunningStatistics(s1.mean(), s1.variance(), s1.count());
        return weights;
    }

    /** The input shape check every block makes: {@code (N, inChannels, H, W)}. */
    static void checkInput(Object block, int inChannels, Shape input) {
        if (input.rank() != 4 || input.dim(1) != inChannels) {
            throw new IllegalArgumentException(block + ": expected input (N, " + inChannels + ", H, W), got " + input);
        }
    }
}

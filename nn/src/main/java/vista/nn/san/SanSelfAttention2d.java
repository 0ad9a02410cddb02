package vista.nn.san;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import vista.autograd.Variable;
import vista.nn.BatchNorm2d;
import vista.nn.Conv2d;
import vista.nn.Module;
import vista.nn.Sequential;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * What SAN's two self-attention blocks share (Zhao, Jia and Koltun 2020, eqs. 2 and 4; one class
 * {@code SAM} with {@code sa_type} 0 or 1 in the official code, whose parameter names they keep). For
 * pixel i with footprint R(i) of K = k*k neighbours j:
 * <pre>
 *   y_i = sum over j in R(i) of  α_j ⊙ β(x_j),        α = γ(δ), δ from φ(x) and ψ(x)
 * </pre>
 * <ul>
 *   <li>φ, ψ ({@code conv1}, {@code conv2}): 1x1, C_in to C_rel, with bias; β ({@code conv3}): 1x1, C_in
 *       to C_out, with bias.</li>
 *   <li>γ ({@code conv_w}): BN, ReLU, 1x1 (no bias), BN, ReLU, 1x1 (with bias) ({@link SanLayers#mapping});
 *       its channels, the relation δ and how γ's output becomes the weights α {@code (N, Cw, K, L)} are the
 *       subclass's ({@link #weights}).</li>
 *   <li>The weighted sum is the {@link Aggregation2d aggregation} of β(x): value channel c uses weight
 *       channel c mod Cw, Cw = C_out / share.</li>
 * </ul>
 * <b>γ two ways.</b> Composed from {@code conv_w}'s layers, autograd keeping each layer's output for
 * backward; or, for training passes of a block's official relation whose relation tensor holds at least
 * {@link #recomputeMappingFrom} values, by {@link SanWeightMapping}, which never holds that tensor whole
 * but recomputes it a few samples at a time ({@link #recomputedWeights}). The two agree to rounding;
 * which one runs depends on the shapes only.
 *
 * <p><b>Looking at the weights.</b> {@link #captureWeights()} opens a {@link Capture} that keeps the
 * input and α of the forward passes run while it is open; a block without an open capture keeps nothing.
 */
public abstract sealed class SanSelfAttention2d extends Module
        permits PairwiseSelfAttention2d, PatchwiseSelfAttention2d {
    /**
     * The relation tensor size (values) from which the blocks recompute γ ({@link SanWeightMapping}) rather
     * than compose it: 8 M values, 32 MB. Below it the composed layers are faster (six passes of small
     * tensors cost more than they save: 72% of a {@code san10-pairwise-mini} step at batch 64) and the
     * memory is small anyway; SAN's layer1 blocks at batch 8 hold 20 to 22 M.
     */
    static final long RECOMPUTE_FROM = 1L << 23;

    private final SanAttentionShape shape;
    private final Conv2d phi;
    private final Conv2d psi;
    private final Conv2d beta;
    private final Sequential gamma;
    private Aggregation2d aggregation;
    private long recomputeFrom = RECOMPUTE_FROM;
    /** The open capture, or null: set and cleared by {@link Capture} only. */
    private Capture capture;

    /**
     * Registers φ, ψ, β and γ ({@code conv1}, {@code conv2}, {@code conv3}, {@code conv_w}), γ mapping
     * {@code mappingInputs} channels to {@code mappingHidden} to {@code mappingOutputs}, all initialised
     * from {@code rng} as the official code. The subclass registers its own layers next, then
     * {@link #registerAggregation the aggregation}, in the official code's order.
     */
    SanSelfAttention2d(SanAttentionShape shape, int mappingInputs, int mappingHidden, int mappingOutputs, Rng rng) {
        this.shape = shape;
        int rel = shape.relationChannels();
        phi = registerModule("conv1", SanLayers.pointwise(shape.inChannels(), rel, true, rng.split("conv1")));
        psi = registerModule("conv2", SanLayers.pointwise(shape.inChannels(), rel, true, rng.split("conv2")));
        beta = registerModule("conv3", SanLayers.pointwise(shape.inChannels(), shape.outChannels(), true,
                rng.split("conv3")));
        gamma = registerModule("conv_w", SanLayers.mapping(mappingInputs, mappingHidden, mappingOutputs,
                rng.split("conv_w")));
    }

    /** Registers the aggregation, the last child: the end of a subclass's constructor. */
    final void registerAggregation() {
        aggregation = registerModule("aggregation", new Aggregation2d(shape.footprint()));
    }

    /** {@code relation}, or an error naming the block and the choices when there is none. */
    static <R extends Enum<R>> R requireRelation(R relation, R[] choices, String block, SanAttentionShape shape) {
        if (relation == null) {
            throw new IllegalArgumentException(shape.describe(block, "?") + ": the relation is required, one of "
                    + Arrays.stream(choices).map(Enum::name).collect(Collectors.joining(", ")));
        }
        return relation;
    }

    /** {@code y = aggregation of β(x) weighted by α}, α from φ(x) and ψ(x) ({@link #weights}). */
    @Override
    public final Variable forward(Variable input) {
        Shape in = input.shape();
        if (in.rank() != 4 || in.dim(1) != shape.inChannels()) {
            throw new IllegalArgumentException(this + ": expected input (N, " + shape.inChannels() + ", H, W), got "
                    + in);
        }
        shape.footprint().checkFits(in, toString());
        Variable x1 = phi.forward(input);
        Variable x2 = psi.forward(input);
        Variable x3 = beta.forward(input);
        Variable alpha = weights(input, x1, x2);
        if (capture != null) {
            capture.input = input.data();
            capture.weights = alpha.data();
        }
        return aggregation.forward(x3, alpha);
    }

    /**
     * Opens a capture of this block's weights α; close it when done (try-with-resources):
     * <pre>{@code
     * try (var scope = Autograd.noGrad(); var capture = block.captureWeights()) {
     *     model.forward(image);
     *     Tensor alpha = capture.weights();    // (N, Cw, K, H W) of this block's input H x W
     * }
     * }</pre>
     *
     * @throws IllegalStateException if a capture of this block is already open
     */
    public Capture captureWeights() {
        if (capture != null) {
            throw new IllegalStateException(this + ": a capture of its weights is already open; close it first");
        }
        capture = new Capture();
        return capture;
    }

    /**
     * What the block's latest forward pass while the capture was open computed: its input x
     * {@code (N, C_in, H, W)} and α {@code (N, Cw, K, H W)}: for weight channel cw, neighbour j of the
     * footprint (index {@code a k + e} at offset {@code ((a - r) d, (e - r) d)}, d the dilation) and pixel
     * {@code i W + j'}. Pairwise α is a softmax over the K neighbours; patchwise α is γ's output as it is.
     * Capturing changes nothing in the pass; it keeps references to tensors the pass computed anyway.
     */
    public final class Capture implements AutoCloseable {
        private Tensor input;
        private Tensor weights;

        private Capture() {
        }

        /** The input of the latest forward pass. */
        public Tensor input() {
            requirePass();
            return input;
        }

        /** α of the latest forward pass, {@code (N, Cw, K, H W)}. */
        public Tensor weights() {
            requirePass();
            return weights;
        }

        private void requirePass() {
            if (weights == null) {
                throw new IllegalStateException(SanSelfAttention2d.this + ": the block has not run since its capture"
                        + " was opened; run the model's forward pass first");
            }
        }

        /** Ends the capture: later forward passes keep nothing. */
        @Override
        public void close() {
            if (capture == this) {
                capture = null;
            }
        }
    }

    /** α {@code (N, Cw, K, L)} for input x, from {@code x1 = φ(x)} and {@code x2 = ψ(x)}. */
    abstract Variable weights(Variable input, Variable x1, Variable x2);

    /**
     * From which size of the relation tensor (values) training-mode passes of the official relation
     * compute γ with {@link SanWeightMapping}, which never holds that tensor whole but recomputes it six
     * times: {@link #RECOMPUTE_FROM} by default (32 MB), 0 for always, {@code Long.MAX_VALUE} for never
     * (the composed layers of {@code conv_w}).
     */
    public SanSelfAttention2d recomputeMappingFrom(long values) {
        recomputeFrom = values;
        return this;
    }

    /** Whether this pass recomputes γ for a relation tensor of {@code relationSize} values: training and large. */
    final boolean recomputes(long relationSize) {
        return isTraining() && relationSize >= recomputeFrom;
    }

    /** γ ({@code conv_w}) composed: its layers applied to δ {@code (N, C0, ·, ·)}. */
    final Variable composedMapping(Variable delta) {
        return gamma.forward(delta);
    }

    /**
     * α by {@link SanWeightMapping}: γ of {@code relation}'s δ, read from {@code relationInputs} (φ(x)
     * first), as {@code (N, Cw, K, H W)}, with the softmax over the K neighbours if {@code softmax}; γ's
     * BatchNorms update their running averages as their own training passes would.
     */
    final Variable recomputedWeights(ChunkedRelation relation, boolean softmax, Variable... relationInputs) {
        int[] d = relationInputs[0].dims();
        BatchNorm2d first = (BatchNorm2d) gamma.children().get("0");
        Conv2d hidden = (Conv2d) gamma.children().get("2");
        BatchNorm2d second = (BatchNorm2d) gamma.children().get("3");
        Conv2d output = (Conv2d) gamma.children().get("5");
        SanWeightMapping op = new SanWeightMapping(relation, shape.footprint().neighbours(), d[2] * d[3], softmax,
                first.eps());
        Variable weights = op.apply(relationInputs, first.weight(), first.bias(), hidden.weight(), second.weight(),
                second.bias(), output.weight(), output.bias());
        SanWeightMapping.Statistics s0 = op.statistics(0);
        first.updateRunningStatistics(s0.mean(), s0.variance(), s0.count());
        SanWeightMapping.Statistics s1 = op.statistics(1);
        second.updateRunningStatistics(s1.mean(), s1.variance(), s1.count());
        return weights;
    }

    public SanAttentionShape shape() {
        return shape;
    }

    /** δ, how the block relates the features of a pixel's footprint. */
    public abstract Enum<?> relation();

    @Override
    public String toString() {
        return shape.describe(getClass().getSimpleName(),
                relation().name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }
}

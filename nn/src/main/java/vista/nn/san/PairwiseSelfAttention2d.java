package vista.nn.san;

import java.util.Locale;
import vista.autograd.Variable;
import vista.autograd.functions.SanWeightMapping;
import vista.nn.Conv2d;
import vista.nn.Module;
import vista.nn.Sequential;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;
import vista.tensor.kernels.SubtractionKernels;

/**
 * SAN's pairwise self-attention block (Zhao, Jia and Koltun 2020, eq. 2; {@code SAM} with
 * {@code sa_type = 0} in the official code, whose parameter names it keeps). For pixel i with footprint
 * R(i) of K = k*k neighbours j:
 * <pre>
 *   y_i = sum over j in R(i) of  α(x_i, x_j) ⊙ β(x_j)
 *   α(x_i, x_j) = softmax over j of  γ( [ δ(x_i, x_j), p_i - p_j ] )
 * </pre>
 * <ul>
 *   <li>φ, ψ ({@code conv1}, {@code conv2}): 1x1, C_in to C_rel, with bias; β ({@code conv3}): 1x1, C_in
 *       to C_out, with bias.</li>
 *   <li>δ, the relation ({@link Relation}): subtraction φ(x_i) - ψ(x_j) (the official one, and the
 *       default), summation φ(x_i) + ψ(x_j), concatenation [φ(x_i), ψ(x_j)], Hadamard product
 *       φ(x_i) ⊙ ψ(x_j), or the dot product φ(x_i)ᵀψ(x_j).</li>
 *   <li>p_i - p_j, the position encoding: the pixel coordinates, each normalised to [-1, 1] (channel 0
 *       the column, channel 1 the row), through a trainable 1x1 convolution 2 to 2 ({@code conv_p}),
 *       then the {@link Subtraction2d subtraction} of the footprint. It is concatenated to the
 *       relation.</li>
 *   <li>γ ({@code conv_w}): BN, ReLU, 1x1 to C_rel (no bias), BN, ReLU, 1x1 to C_out / share (with bias),
 *       applied to the (N, channels, K, L) relation tensor as if it were an image K high and L wide, so
 *       its BatchNorms pool their statistics over N·K·L. The softmax is over the K neighbours.</li>
 *   <li>The weighted sum is the {@link Aggregation2d aggregation} of β(x): value channel c uses weight channel
 *       c mod (C_out / share).</li>
 * </ul>
 * Backward is autograd's, through these ops; the subtraction, neighbourhood and aggregation have their
 * own kernels ({@link vista.tensor.kernels.SubtractionKernels}, {@link vista.tensor.kernels.NeighbourhoodKernels},
 * {@link vista.tensor.kernels.AggregationKernels}). They run as parameter-free child layers, named as in the
 * official code ({@code subtraction}, {@code subtraction2}, {@code aggregation}), so that summaries count
 * them; a relation built from elementwise ops (summation, products, concatenation) is not counted.
 * Stride 1: the SAN models downsample between stages.
 */
public final class PairwiseSelfAttention2d extends Module {
    /** δ, how the features of a pixel and of its neighbour are related. */
    public enum Relation {
        /** φ(x_i) - ψ(x_j), C_rel channels: the official choice. */
        SUBTRACTION,
        /** φ(x_i) + ψ(x_j), C_rel channels. */
        SUMMATION,
        /** [φ(x_i), ψ(x_j)], 2 C_rel channels. */
        CONCATENATION,
        /** φ(x_i) ⊙ ψ(x_j), C_rel channels. */
        HADAMARD_PRODUCT,
        /** φ(x_i)ᵀ ψ(x_j), one channel. */
        DOT_PRODUCT;

        /** The channels of δ for C_rel channels of φ and ψ. */
        public int channels(int relationChannels) {
            return switch (this) {
                case CONCATENATION -> 2 * relationChannels;
                case DOT_PRODUCT -> 1;
                default -> relationChannels;
            };
        }
    }

    private final SanAttentionShape shape;
    private final Relation relation;
    private final Conv2d phi;
    private final Conv2d psi;
    private final Conv2d beta;
    private final Sequential gamma;
    private final Conv2d position;
    private final Subtraction2d subtraction;
    private final Subtraction2d subtraction2;
    private final Neighbourhood2d neighbourhood;
    private final Aggregation2d aggregation;
    private long recomputeFrom = SanLayers.RECOMPUTE_FROM;

    /** The official block: the subtraction relation. */
    public PairwiseSelfAttention2d(SanAttentionShape shape, Rng rng) {
        this(shape, Relation.SUBTRACTION, rng);
    }

    /** A block relating pixels by {@code relation}; parameters initialised from {@code rng} as the official code. */
    public PairwiseSelfAttention2d(SanAttentionShape shape, Relation relation, Rng rng) {
        if (relation == null) {
            throw new IllegalArgumentException(shape.describe("PairwiseSelfAttention2d", "?") + ": the relation is "
                    + "required, one of SUBTRACTION, SUMMATION, CONCATENATION, HADAMARD_PRODUCT, DOT_PRODUCT");
        }
        this.shape = shape;
        this.relation = relation;
        int rel = shape.relationChannels();
        phi = registerModule("conv1", SanLayers.pointwise(shape.inChannels(), rel, true, rng.split("conv1")));
        psi = registerModule("conv2", SanLayers.pointwise(shape.inChannels(), rel, true, rng.split("conv2")));
        beta = registerModule("conv3", SanLayers.pointwise(shape.inChannels(), shape.outChannels(), true,
                rng.split("conv3")));
        gamma = registerModule("conv_w", SanLayers.mapping(relation.channels(rel) + 2, rel, shape.weightChannels(),
                rng.split("conv_w")));
        position = registerModule("conv_p", SanLayers.pointwise(2, 2, true, rng.split("conv_p")));
        subtraction = registerModule("subtraction", new Subtraction2d(shape.footprint()));
        subtraction2 = registerModule("subtraction2", new Subtraction2d(shape.footprint()));
        neighbourhood = registerModule("neighbourhood", new Neighbourhood2d(shape.footprint()));
        aggregation = registerModule("aggregation", new Aggregation2d(shape.footprint()));
    }

    @Override
    public Variable forward(Variable input) {
        SanLayers.checkInput(this, shape.inChannels(), input.shape());
        Footprint footprint = shape.footprint();
        footprint.checkFits(input.shape(), toString());
        int n = input.dims()[0];
        int height = input.dims()[2];
        int width = input.dims()[3];
        int neighbours = footprint.neighbours();
        Variable x1 = phi.forward(input);
        Variable x2 = psi.forward(input);
        Variable x3 = beta.forward(input);
        Variable p = position.forward(new Variable(coordinates(height, width, input.dtype())));
        Variable weights;
        long relationSize = (long) n * (shape.relationChannels() + 2) * neighbours * height * width;
        if (isTraining() && relation == Relation.SUBTRACTION && relationSize >= recomputeFrom) {
            weights = SanLayers.recomputedMapping(gamma, new SubtractionRelation(footprint), neighbours,
                    height * width, true, x1, x2, p);
        } else {
            Variable positions = subtraction.forward(p).expand(n, 2, neighbours, height * width);
            weights = gamma.forward(Variable.concat(1, relate(x1, x2), positions)).softmax(2);
        }
        return aggregation.forward(x3, weights);
    }

    /**
     * From which size of the relation tensor (values, {@code N (C_rel + 2) K L}) training-mode passes of
     * the official (subtraction) relation compute γ with {@link SanWeightMapping}, which never holds that
     * tensor whole but recomputes it six times: {@link SanLayers#RECOMPUTE_FROM} by default (32 MB), 0 for
     * always, {@code Long.MAX_VALUE} for never (the composed layers of {@code conv_w}). The two agree to
     * rounding; which one runs depends on the shapes only.
     */
    public PairwiseSelfAttention2d recomputeMappingFrom(long values) {
        recomputeFrom = values;
        return this;
    }

    /** δ = [φ(x_i) - ψ(x_j), p_i - p_j] for {@link SanWeightMapping}: inputs (φ(x), ψ(x), p), P = K L. */
    private static final class SubtractionRelation implements SanWeightMapping.Relation {
        private final Footprint footprint;

        SubtractionRelation(Footprint footprint) {
            this.footprint = footprint;
        }

        @Override
        public int inputCount() {
            return 3;
        }

        @Override
        public int channels(Tensor[] inputs) {
            return inputs[0].dim(1) + 2;
        }

        @Override
        public int positions(Tensor[] inputs) {
            return footprint.neighbours() * inputs[0].dim(2) * inputs[0].dim(3);
        }

        @Override
        public Tensor forward(Tensor[] inputs, int from, int to) {
            Tensor x1 = inputs[0].slice(0, from, to);
            int rel = x1.dim(1);
            Tensor positions = SubtractionKernels.forward(inputs[2], inputs[2], footprint);
            int[] d = footprint.neighbourShape(x1.shape(), rel + 2).dims();
            Tensor delta = Tensor.zeros(x1.dtype(), Shape.of(d));
            SubtractionKernels.forwardInto(x1, inputs[1].slice(0, from, to), footprint, delta.slice(1, 0, rel));
            delta.slice(1, rel, rel + 2).copyFrom(positions.expand(d[0], 2, d[2], d[3]));
            return delta.reshape(d[0], d[1], -1);
        }

        @Override
        public void backward(Tensor[] inputs, int from, int to, Tensor gradient, Tensor[] inputGradients) {
            Tensor x1 = inputs[0].slice(0, from, to);
            int rel = x1.dim(1);
            Tensor g = gradient.reshape(to - from, rel + 2, footprint.neighbours(), -1);
            SubtractionKernels.Gradients features = SubtractionKernels.backward(g.slice(1, 0, rel).contiguous(), x1.shape(),
                    footprint);
            inputGradients[0].slice(0, from, to).copyFrom(features.x1());
            inputGradients[1].slice(0, from, to).copyFrom(features.x2());
            Tensor positions = g.slice(1, rel, rel + 2).sum(new int[] {0}, true);
            SubtractionKernels.Gradients p = SubtractionKernels.backward(positions, inputs[2].shape(), footprint);
            inputGradients[2] = inputGradients[2].add(p.x1()).add(p.x2());
        }
    }

    /** δ(x_i, x_j) for every pixel i and neighbour j: {@code (N, channels, K, L)}. */
    private Variable relate(Variable x1, Variable x2) {
        if (relation == Relation.SUBTRACTION) {
            return subtraction2.forward(x1, x2);
        }
        int[] d = x1.dims();
        Variable centre = x1.reshape(d[0], d[1], 1, d[2] * d[3]);
        Variable neighbour = neighbourhood.forward(x2);
        return switch (relation) {
            case SUMMATION -> centre.add(neighbour);
            case CONCATENATION -> Variable.concat(1, centre.expand(neighbour.dims()), neighbour);
            case HADAMARD_PRODUCT -> centre.mul(neighbour);
            case DOT_PRODUCT -> centre.mul(neighbour).sum(new int[] {1}, true);
            case SUBTRACTION -> throw new IllegalStateException("handled above");
        };
    }

    /**
     * The official {@code position(H, W)}: {@code (1, 2, H, W)}, channel 0 the column coordinate
     * {@code -1 + 2 j / (W - 1)}, channel 1 the row coordinate {@code -1 + 2 i / (H - 1)} (PyTorch's
     * {@code linspace(-1, 1, n)}, which is -1 when n = 1).
     */
    static Tensor coordinates(int height, int width, DType dtype) {
        Tensor grid = Tensor.zeros(dtype, Shape.of(1, 2, height, width));
        for (int i = 0; i < height; i++) {
            for (int j = 0; j < width; j++) {
                grid.set(linspace(j, width), 0, 0, i, j);
                grid.set(linspace(i, height), 0, 1, i, j);
            }
        }
        return grid;
    }

    /** Point {@code index} of {@code linspace(-1, 1, count)}, computed as PyTorch's CPU kernel does. */
    private static double linspace(int index, int count) {
        if (count == 1) {
            return -1;
        }
        double step = 2.0 / (count - 1);
        return index < count / 2 ? -1 + step * index : 1 - step * (count - 1 - index);
    }

    public SanAttentionShape shape() {
        return shape;
    }

    public Relation relation() {
        return relation;
    }

    @Override
    public String toString() {
        return shape.describe("PairwiseSelfAttention2d", relation.name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }
}

package vista.nn.san;

import vista.autograd.Variable;
import vista.nn.Conv2d;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * SAN's pairwise self-attention block (Zhao, Jia and Koltun 2020, eq. 2; {@code SAM} with
 * {@code sa_type = 0} in the official code). For pixel i with footprint R(i) of K = k*k neighbours j:
 * <pre>
 *   y_i = sum over j in R(i) of  α(x_i, x_j) ⊙ β(x_j)
 *   α(x_i, x_j) = softmax over j of  γ( [ δ(x_i, x_j), p_i - p_j ] )
 * </pre>
 * φ, ψ, β, γ and the aggregation are {@link SanSelfAttention2d}'s; here:
 * <ul>
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
 * </ul>
 * Backward is autograd's, through these ops; the subtraction and the neighbourhood run as parameter-free
 * child layers, named as in the official code ({@code subtraction}, {@code subtraction2}), so that
 * summaries count them; a relation built from elementwise ops (summation, products, concatenation) is
 * not counted. Training passes of the official relation on large inputs compute γ from
 * {@link SubtractionRelation} instead (see {@link SanSelfAttention2d}). Stride 1: the SAN models
 * downsample between stages.
 */
public final class PairwiseSelfAttention2d extends SanSelfAttention2d {
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

    private final Relation relation;
    private final Conv2d position;
    private final Subtraction2d subtraction;
    private final Subtraction2d subtraction2;
    private final Neighbourhood2d neighbourhood;

    /** The official block: the subtraction relation. */
    public PairwiseSelfAttention2d(SanAttentionShape shape, Rng rng) {
        this(shape, Relation.SUBTRACTION, rng);
    }

    /** A block relating pixels by {@code relation}; parameters initialised from {@code rng} as the official code. */
    public PairwiseSelfAttention2d(SanAttentionShape shape, Relation relation, Rng rng) {
        super(shape, mappingInputs(shape, relation), shape.relationChannels(), shape.weightChannels(), rng);
        this.relation = relation;
        position = registerModule("conv_p", SanLayers.pointwise(2, 2, true, rng.split("conv_p")));
        subtraction = registerModule("subtraction", new Subtraction2d(shape.footprint()));
        subtraction2 = registerModule("subtraction2", new Subtraction2d(shape.footprint()));
        neighbourhood = registerModule("neighbourhood", new Neighbourhood2d(shape.footprint()));
        registerAggregation();
    }

    /** γ's input channels: δ's and the two of the position encoding. */
    private static int mappingInputs(SanAttentionShape shape, Relation relation) {
        return requireRelation(relation, Relation.values(), "PairwiseSelfAttention2d", shape)
                .channels(shape.relationChannels()) + 2;
    }

    /**
     * {@code softmax over K of γ([δ, p_i - p_j])}; recomputed from {@link SubtractionRelation} when the
     * relation tensor's {@code N (C_rel + 2) K L} values call for it.
     */
    @Override
    Variable weights(Variable input, Variable x1, Variable x2) {
        int n = input.dims()[0];
        int height = input.dims()[2];
        int width = input.dims()[3];
        int neighbours = shape().footprint().neighbours();
        Variable p = position.forward(new Variable(coordinates(height, width, input.dtype())));
        long relationSize = (long) n * (shape().relationChannels() + 2) * neighbours * height * width;
        if (relation == Relation.SUBTRACTION && recomputes(relationSize)) {
            return recomputedWeights(new SubtractionRelation(shape().footprint()), true, x1, x2, p);
        }
        Variable positions = subtraction.forward(p).expand(n, 2, neighbours, height * width);
        return composedMapping(Variable.concat(1, relate(x1, x2), positions)).softmax(2);
    }

    /** {@inheritDoc} Here the relation tensor holds {@code N (C_rel + 2) K L} values. */
    @Override
    public PairwiseSelfAttention2d recomputeMappingFrom(long values) {
        super.recomputeMappingFrom(values);
        return this;
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

    @Override
    public Relation relation() {
        return relation;
    }
}

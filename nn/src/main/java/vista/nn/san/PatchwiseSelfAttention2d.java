package vista.nn.san;

import vista.autograd.Variable;
import vista.tensor.Rng;

/**
 * SAN's patchwise self-attention block (Zhao, Jia and Koltun 2020, eq. 4; {@code SAM} with
 * {@code sa_type = 1} in the official code). For pixel i with footprint R(i) of K = k*k neighbours j,
 * the weights of all neighbours come from the whole patch at once:
 * <pre>
 *   y_i = sum over j in R(i) of  α(x_R(i))_j ⊙ β(x_j)
 *   α(x_R(i)) = γ( δ(x_R(i)) )                      (no softmax, as in the official code)
 * </pre>
 * φ, ψ, β, γ and the aggregation are {@link SanSelfAttention2d}'s; here:
 * <ul>
 *   <li>δ, the patch relation ({@link Relation}): concatenation [φ(x_i), ψ(x_j) for every j] (the
 *       official one, and the default; channel {@code c K + j} is neighbour j of ψ's channel c, PyTorch's
 *       unfold order), the star product [φ(x_i)ᵀψ(x_j) for every j], or the clique product
 *       [φ(x_j)ᵀψ(x_m) for every pair j, m of the footprint].</li>
 *   <li>γ ({@code conv_w}): BN, ReLU, 1x1 to C_out / share (no bias), BN, ReLU, 1x1 to K C_out / share
 *       (with bias), per pixel; output channel {@code cw K + j} is the weight of neighbour j for weight
 *       channel cw.</li>
 * </ul>
 * Backward is autograd's, through these ops. The neighbourhood runs as a parameter-free child layer
 * ({@code neighbourhood}) so that summaries count it; the products of the star and clique relations are
 * not counted. Training passes of the official relation on large inputs compute γ from
 * {@link ConcatenationRelation} instead (see {@link SanSelfAttention2d}). Stride 1: the SAN models
 * downsample between stages.
 */
public final class PatchwiseSelfAttention2d extends SanSelfAttention2d {
    /** δ, how the features of the footprint are combined into one vector per pixel. */
    public enum Relation {
        /** [φ(x_i), ψ(x_j) for every j]: C_rel (K + 1) channels; the official choice. */
        CONCATENATION,
        /** [φ(x_i)ᵀψ(x_j) for every j]: K channels. */
        STAR_PRODUCT,
        /** [φ(x_j)ᵀψ(x_m) for every pair j, m]: K² channels. */
        CLIQUE_PRODUCT;

        /** The channels of δ for C_rel channels of φ and ψ and K neighbours. */
        public int channels(int relationChannels, int neighbours) {
            return switch (this) {
                case CONCATENATION -> relationChannels * (neighbours + 1);
                case STAR_PRODUCT -> neighbours;
                case CLIQUE_PRODUCT -> neighbours * neighbours;
            };
        }
    }

    private final Relation relation;
    private final Neighbourhood2d neighbourhood;

    /** The official block: the concatenation relation. */
    public PatchwiseSelfAttention2d(SanAttentionShape shape, Rng rng) {
        this(shape, Relation.CONCATENATION, rng);
    }

    /** A block combining each patch by {@code relation}; parameters initialised from {@code rng} as the official code. */
    public PatchwiseSelfAttention2d(SanAttentionShape shape, Relation relation, Rng rng) {
        super(shape, mappingInputs(shape, relation), shape.weightChannels(),
                shape.footprint().neighbours() * shape.weightChannels(), rng);
        this.relation = relation;
        neighbourhood = registerModule("neighbourhood", new Neighbourhood2d(shape.footprint()));
        registerAggregation();
    }

    /** γ's input channels: δ's. */
    private static int mappingInputs(SanAttentionShape shape, Relation relation) {
        return requireRelation(relation, Relation.values(), "PatchwiseSelfAttention2d", shape)
                .channels(shape.relationChannels(), shape.footprint().neighbours());
    }

    /**
     * {@code γ(δ)} viewed as {@code (N, Cw, K, L)}; recomputed from {@link ConcatenationRelation} when the
     * relation tensor's {@code N C_rel (K + 1) L} values call for it.
     */
    @Override
    Variable weights(Variable input, Variable x1, Variable x2) {
        int n = input.dims()[0];
        int pixels = input.dims()[2] * input.dims()[3];
        int neighbours = shape().footprint().neighbours();
        long relationSize = (long) n * relation.channels(shape().relationChannels(), neighbours) * pixels;
        if (relation == Relation.CONCATENATION && recomputes(relationSize)) {
            return recomputedWeights(new ConcatenationRelation(shape().footprint()), false, x1, x2);
        }
        return composedMapping(relate(x1, x2)).reshape(n, shape().weightChannels(), neighbours, pixels);
    }

    /** {@inheritDoc} Here the relation tensor holds {@code N C_rel (K + 1) L} values. */
    @Override
    public PatchwiseSelfAttention2d recomputeMappingFrom(long values) {
        super.recomputeMappingFrom(values);
        return this;
    }

    /** δ(x_R(i)) for every pixel i, as an image one pixel high and L wide: {@code (N, channels, 1, L)}. */
    private Variable relate(Variable x1, Variable x2) {
        int[] d = x1.dims();
        int rel = d[1];
        int pixels = d[2] * d[3];
        int neighbours = shape().footprint().neighbours();
        Variable centre = x1.reshape(d[0], rel, 1, pixels);
        Variable patch = neighbourhood.forward(x2);                                   // (N, C_rel, K, L)
        return switch (relation) {
            case CONCATENATION -> Variable.concat(1, centre, patch.reshape(d[0], rel * neighbours, 1, pixels));
            case STAR_PRODUCT -> centre.mul(patch).sum(new int[] {1}, true).reshape(d[0], neighbours, 1, pixels);
            case CLIQUE_PRODUCT -> {
                Variable left = neighbourhood.forward(x1).permute(0, 3, 2, 1);                  // (N, L, K, C_rel)
                Variable right = patch.permute(0, 3, 1, 2);                                     // (N, L, C_rel, K)
                yield left.matmul(right).reshape(d[0], pixels, neighbours * neighbours)
                        .permute(0, 2, 1).reshape(d[0], neighbours * neighbours, 1, pixels);
            }
        };
    }

    @Override
    public Relation relation() {
        return relation;
    }
}

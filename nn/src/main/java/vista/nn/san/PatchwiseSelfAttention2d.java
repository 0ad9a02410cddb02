package vista.nn.san;

import java.util.Locale;
import vista.autograd.Variable;
import vista.autograd.functions.SanWeightMapping;
import vista.nn.Conv2d;
import vista.nn.Module;
import vista.nn.Sequential;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;
import vista.tensor.kernels.NeighbourhoodKernels;

/**
 * SAN's patchwise self-attention block (Zhao, Jia and Koltun 2020, eq. 4; {@code SAM} with
 * {@code sa_type = 1} in the official code, whose parameter names it keeps). For pixel i with footprint
 * R(i) of K = k*k neighbours j, the weights of all neighbours come from the whole patch at once:
 * <pre>
 *   y_i = sum over j in R(i) of  α(x_R(i))_j ⊙ β(x_j)
 *   α(x_R(i)) = γ( δ(x_R(i)) )                      (no softmax, as in the official code)
 * </pre>
 * <ul>
 *   <li>φ, ψ ({@code conv1}, {@code conv2}): 1x1, C_in to C_rel, with bias; β ({@code conv3}): 1x1, C_in
 *       to C_out, with bias.</li>
 *   <li>δ, the patch relation ({@link Relation}): concatenation [φ(x_i), ψ(x_j) for every j] (the
 *       official one, and the default; channel {@code c K + j} is neighbour j of ψ's channel c, PyTorch's
 *       unfold order), the star product [φ(x_i)ᵀψ(x_j) for every j], or the clique product
 *       [φ(x_j)ᵀψ(x_m) for every pair j, m of the footprint].</li>
 *   <li>γ ({@code conv_w}): BN, ReLU, 1x1 to C_out / share (no bias), BN, ReLU, 1x1 to K C_out / share
 *       (with bias), per pixel; output channel {@code cw K + j} is the weight of neighbour j for weight
 *       channel cw.</li>
 *   <li>The weighted sum is the {@link Aggregation2d aggregation} of β(x): value channel c uses weight
 *       channel c mod (C_out / share).</li>
 * </ul>
 * Backward is autograd's, through these ops. The neighbourhood and the aggregation run as parameter-free
 * child layers ({@code neighbourhood}, {@code aggregation}) so that summaries count them; the products of
 * the star and clique relations are not counted. Stride 1: the SAN models downsample between stages.
 */
public final class PatchwiseSelfAttention2d extends Module {
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

    private final SanAttentionShape shape;
    private final Relation relation;
    private final Conv2d phi;
    private final Conv2d psi;
    private final Conv2d beta;
    private final Sequential gamma;
    private final Neighbourhood2d neighbourhood;
    private final Aggregation2d aggregation;
    private long recomputeFrom = SanLayers.RECOMPUTE_FROM;

    /** The official block: the concatenation relation. */
    public PatchwiseSelfAttention2d(SanAttentionShape shape, Rng rng) {
        this(shape, Relation.CONCATENATION, rng);
    }

    /** A block combining each patch by {@code relation}; parameters initialised from {@code rng} as the official code. */
    public PatchwiseSelfAttention2d(SanAttentionShape shape, Relation relation, Rng rng) {
        if (relation == null) {
            throw new IllegalArgumentException(shape.describe("PatchwiseSelfAttention2d", "?") + ": the relation is "
                    + "required, one of CONCATENATION, STAR_PRODUCT, CLIQUE_PRODUCT");
        }
        this.shape = shape;
        this.relation = relation;
        int rel = shape.relationChannels();
        int cw = shape.weightChannels();
        int neighbours = shape.footprint().neighbours();
        phi = registerModule("conv1", SanLayers.pointwise(shape.inChannels(), rel, true, rng.split("conv1")));
        psi = registerModule("conv2", SanLayers.pointwise(shape.inChannels(), rel, true, rng.split("conv2")));
        beta = registerModule("conv3", SanLayers.pointwise(shape.inChannels(), shape.outChannels(), true,
                rng.split("conv3")));
        gamma = registerModule("conv_w", SanLayers.mapping(relation.channels(rel, neighbours), cw, neighbours * cw,
                rng.split("conv_w")));
        neighbourhood = registerModule("neighbourhood", new Neighbourhood2d(shape.footprint()));
        aggregation = registerModule("aggregation", new Aggregation2d(shape.footprint()));
    }

    @Override
    public Variable forward(Variable input) {
        SanLayers.checkInput(this, shape.inChannels(), input.shape());
        Footprint footprint = shape.footprint();
        footprint.checkFits(input.shape(), toString());
        int n = input.dims()[0];
        int pixels = input.dims()[2] * input.dims()[3];
        Variable x1 = phi.forward(input);
        Variable x2 = psi.forward(input);
        Variable x3 = beta.forward(input);
        long relationSize = (long) n * relation.channels(shape.relationChannels(), footprint.neighbours()) * pixels;
        Variable w = isTraining() && relation == Relation.CONCATENATION && relationSize >= recomputeFrom
                ? SanLayers.recomputedMapping(gamma, new ConcatenationRelation(footprint), footprint.neighbours(), pixels,
                        false, x1, x2)
                : gamma.forward(relate(x1, x2)).reshape(n, shape.weightChannels(), footprint.neighbours(), pixels);
        return aggregation.forward(x3, w);
    }

    /**
     * From which size of the relation tensor (values, {@code N C_rel (K + 1) L}) training-mode passes of
     * the official (concatenation) relation compute γ with {@link SanWeightMapping}, which never holds that
     * tensor whole but recomputes it six times: {@link SanLayers#RECOMPUTE_FROM} by default (32 MB), 0 for
     * always, {@code Long.MAX_VALUE} for never (the composed layers of {@code conv_w}). The two agree to
     * rounding; which one runs depends on the shapes only.
     */
    public PatchwiseSelfAttention2d recomputeMappingFrom(long values) {
        recomputeFrom = values;
        return this;
    }

    /** δ = [φ(x_i), ψ(x_j) for every j] for {@link SanWeightMapping}: inputs (φ(x), ψ(x)), P = L. */
    private static final class ConcatenationRelation implements SanWeightMapping.Relation {
        private final Footprint footprint;

        ConcatenationRelation(Footprint footprint) {
            this.footprint = footprint;
        }

        @Override
        public int inputCount() {
            return 2;
        }

        @Override
        public int channels(Tensor[] inputs) {
            return inputs[0].dim(1) * (footprint.neighbours() + 1);
        }

        @Override
        public int positions(Tensor[] inputs) {
            return inputs[0].dim(2) * inputs[0].dim(3);
        }

        @Override
        public Tensor forward(Tensor[] inputs, int from, int to) {
            Tensor centre = inputs[0].slice(0, from, to);
            int b = to - from;
            int pixels = positions(inputs);
            Tensor patch = NeighbourhoodKernels.forward(inputs[1].slice(0, from, to), footprint);
            return Tensor.concat(1, centre.reshape(b, -1, pixels), patch.reshape(b, -1, pixels));
        }

        @Override
        public void backward(Tensor[] inputs, int from, int to, Tensor gradient, Tensor[] inputGradients) {
            Tensor centre = inputs[0].slice(0, from, to);
            int rel = centre.dim(1);
            inputGradients[0].slice(0, from, to).copyFrom(gradient.slice(1, 0, rel).reshape(centre.dims()));
            Tensor patch = gradient.slice(1, rel, gradient.dim(1)).reshape(to - from, rel, footprint.neighbours(), -1);
            inputGradients[1].slice(0, from, to).copyFrom(NeighbourhoodKernels.backward(patch, centre.shape(), footprint));
        }
    }

    /** δ(x_R(i)) for every pixel i, as an image one pixel high and L wide: {@code (N, channels, 1, L)}. */
    private Variable relate(Variable x1, Variable x2) {
        int[] d = x1.dims();
        int rel = d[1];
        int pixels = d[2] * d[3];
        int neighbours = shape.footprint().neighbours();
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

    public SanAttentionShape shape() {
        return shape;
    }

    public Relation relation() {
        return relation;
    }

    @Override
    public String toString() {
        return shape.describe("PatchwiseSelfAttention2d", relation.name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }
}

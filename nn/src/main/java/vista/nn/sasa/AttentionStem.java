package vista.nn.sasa;

import vista.autograd.Complexity;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.nn.Conv2d;
import vista.nn.Init;
import vista.nn.Module;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * The attention stem of SASA's "full attention" ResNets (Ramachandran et al. 2019, "Stand-Alone
 * Self-Attention in Vision Models", Sections 3.2 and 4.1 and Appendix A, cited below as (3.2), (4.1)
 * and (A)): self-attention inside each {@code s x s} block of the image with <em>spatially aware
 * values</em>, the layer that replaces the ResNet's 7x7 stem convolution. The ResNet follows it with BatchNorm, ReLU and an {@code s x s},
 * stride-{@code s} max pool, whose window is the attention's block, so with {@code s = 4} a 224 x 224
 * image reaches the first stage at 56 x 56, as it does through the convolution stem.
 *
 * <p><b>The formula.</b> The image x {@code (N, C_in, H, W)} is cut into {@code s x s} blocks aligned
 * with the max pool's windows; a pixel sits at position (a, b), {@code 0 <= a, b < s}, inside its block
 * and attends to the {@code P = s²} pixels of that block only. With bias-free 1x1 projections
 * {@code W_Q}, {@code W_K} {@code (C_out, C_in)} and M value matrices {@code W_V^m}:
 * <pre>
 *   p(a, b, m) = softmax over m of (emb_row(a) + emb_col(b)) · ν_m                (mixture weights, (P, M))
 *   q_ij = W_Q x_ij,   k_ab = W_K x_ab,   v_ab = (sum over m of p(a, b, m) W_V^m) x_ab
 *   logit(ij, ab) = q_ij · k_ab + q_ij^row · r_row[a - i + s - 1] + q_ij^column · r_col[b - j + s - 1]
 *   y_ij = sum over the block of softmax over the block of logit(ij, ab)  times  v_ab
 * </pre>
 * where (i, j) and (a, b) are the query's and the key's positions inside their (common) block. The
 * channels split into {@code heads} groups of {@code dh = C_out / heads} that attend separately, as in
 * {@link LocalSelfAttention2d}; {@code q^row} and {@code q^column} are the first and second half of a
 * head's query, {@code r_row}, {@code r_col} {@code (2s - 1, dh / 2)} the relative embeddings of the row
 * and column offsets, shared by the heads, and the mixture weights p are shared by the heads too. There
 * is no {@code 1/sqrt(dh)} factor in the paper; {@link Builder#optScaledLogits} adds it, as the SASA
 * layer's option does.
 *
 * <p><b>What the paper says, and what this class decides where it stops.</b> The paper's statements are
 * paraphrased here, not quoted; check the wording in arXiv 1906.05909 before citing it.
 * <ul>
 *   <li><em>Values.</em> The new value transformation is {@code v_ab = (sum_m p(a, b, m) W_V^m) x_ab}
 *       where multiple value matrices {@code W_V^m} are combined through a convex combination of factors
 *       that are a function of the position of the pixel in its neighborhood (3.2); a function of the
 *       absolute position of the value in the pooling window, {@code p(a, b, m) =
 *       softmax_m((emb_row(a) + emb_col(b))^T ν_m)}, where {@code emb_row(a)} and {@code emb_col(b)} are
 *       pooling-window aligned row and column embeddings and {@code ν_m} is a per-mixture embedding
 *       (A). So (a, b) is the position inside the block, not an offset from the query: each pixel has one
 *       value, and the mixed matrix {@code sum_m p(a, b, m) W_V^m} is formed once per position.</li>
 *   <li><em>Window and stride.</em> For simplicity, we align the query, key and value receptive field
 *       with the max-pooling receptive field of 4 x 4 (A); the stem performs self-attention within
 *       each 4 x 4 spatial block of the original image, followed by batch normalization and a 4 x 4 max
 *       pool operation (4.1). So the attention runs at the input resolution (224 x 224), stride 1,
 *       inside non-overlapping blocks; {@code H} and {@code W} must be multiples of s.</li>
 *   <li><em>Heads and mixtures.</em> The resulting {@code p_ab^m} are shared across the 4 attention heads
 *       for the mixture stem layer (A): 4 heads. M = 4 value matrices: the paper gives no number, 4 is
 *       Vista's choice, as many as the heads. 64 output channels, the width of the convolution stem it
 *       replaces, so the rest of the ResNet is unchanged (not stated either; the paper's parameter counts
 *       are the conv-stem models' to the printed digit).</li>
 *   <li><em>Queries and keys</em> are plain bias-free 1x1 projections, as in the appendix's equations.
 *       <em>Relative logits:</em> the appendix writes the logit as {@code q·k} alone, but calls that the
 *       standard self-attention layer and only replaces its values, while the paper's layer (its Eq. 3,
 *       the stand-alone stem of Table 7) has the relative term {@code q·r}. Table 1's and Table 7's
 *       FLOPs point to it: with {@code q·r} counted, the stand-alone, spatially-aware and
 *       convolutional-value stems cost 7.10, 7.18 and 7.39 GFLOPs in SASA-ResNet-50 (printed: 7.1, 7.2,
 *       7.4; the last if its values come from a 4x4 convolution), and the full models 4.70, 5.94 and 7.18
 *       (printed: 4.7, 6.0, 7.2; the paper's three ResNet-38 rows all fit if its ResNet-38 counts 0.019
 *       to 0.025 G more than Vista's); without it every stem is 0.10 G cheaper and the stem rows do not
 *       match. So the relative logits are on by default, with offsets {@code -(s-1) .. s-1} inside the
 *       block ({@link Builder#optRelativeLogits} turns them off, the appendix's literal form).</li>
 *   <li><em>Embedding sizes.</em> Not stated. {@code emb_row}, {@code emb_col} {@code (s, dh)} and
 *       {@code ν} {@code (M, dh)}: the size of one head's query, as the SASA layer's embeddings. Any size
 *       of at least M can express every logit table {@code R[a, m] + C[b, m]}, so the choice only moves
 *       the parameter count, by 12 per unit.</li>
 *   <li><em>Placement.</em> BatchNorm, ReLU, max pool after the attention, in the ResNet (ReLU is not in
 *       the paper's sentence; it is the convolution stem's, and it commutes with the max pool).</li>
 *   <li><em>Initialisation</em> (not stated): the embeddings {@code rel_row}, {@code rel_col} N(0, 1/dh)
 *       as the SASA layer's, {@code emb_row}, {@code emb_col}, {@code emb_mix} N(0, 1/dh), so the
 *       mixture logits start small and p near uniform; the projections Kaiming normal with fan_out as
 *       every {@link Conv2d} (for {@code v_proj}, fan_out = M C_out, as PyTorch's Kaiming init of that
 *       convolution).</li>
 * </ul>
 *
 * <p><b>Parameters</b>, in registration (and {@link Rng} draw) order: {@code rel_row}, {@code rel_col}
 * {@code (2s - 1, dh / 2)} (only with relative logits), {@code emb_row}, {@code emb_col} {@code (s, dh)},
 * {@code emb_mix} {@code (M, dh)}, {@code q_proj.weight}, {@code k_proj.weight} {@code (C_out, C_in, 1, 1)}
 * and {@code v_proj.weight} {@code (M C_out, C_in, 1, 1)}, whose rows {@code m C_out .. (m+1) C_out - 1}
 * are {@code W_V^m} (a PyTorch translation: {@code nn.Conv2d(C_in, M * C_out, 1, bias=False)}). For
 * 3 -> 64 channels, s = 4, 4 heads and 4 mixtures: 112 + 192 + 384 + 768 = 1,456, against 9,408 for
 * the 7x7 convolution.
 *
 * <p><b>Gradients.</b> {@link #attention} is a composition of differentiable ops (reshape, permute,
 * matmul with broadcasting, slice, stack, concat, softmax), so backward is theirs and no new kernel or
 * function is needed: every product is a dense matrix product, one per position for the projections
 * and one per block and head for the {@code P x P} logits and the weighted sum, and the gather of
 * relative embeddings is slicing. The price is speed, not memory (the softmax output, {@code heads P}
 * values per pixel, is what backward keeps): measured on a busy two-core machine at batch 2 and
 * 224 x 224, about 0.13 s forward and 0.22 s backward, a large share of a SASA-ResNet step for 8% of
 * its multiply-adds, where a fused kernel would keep the 16 x 16 logits in registers.
 *
 * <pre>{@code
 * AttentionStem stem = AttentionStem.builder().setChannels(3, 64).build(rng);   // s = 4, 4 heads, 4 mixtures
 * }</pre>
 */
public final class AttentionStem extends Module implements Complexity {
    private final int inChannels;
    private final int outChannels;
    private final int block;
    private final int heads;
    private final int mixtures;
    private final boolean relativeLogits;
    private final boolean scaledLogits;
    private final Variable relRow;
    private final Variable relColumn;
    private final Variable embRow;
    private final Variable embColumn;
    private final Variable embMix;
    private final Conv2d queryProjection;
    private final Conv2d keyProjection;
    private final Conv2d valueProjection;

    private AttentionStem(Builder b, Rng rng) {
        inChannels = b.inChannels;
        outChannels = b.outChannels;
        block = b.block;
        heads = b.heads;
        mixtures = b.mixtures;
        relativeLogits = b.relativeLogits;
        scaledLogits = b.scaledLogits;
        int dh = outChannels / heads;
        double std = 1 / Math.sqrt(dh);
        if (relativeLogits) {
            relRow = registerParameter("rel_row", Init.normal(Tensor.zeros(2 * block - 1, dh / 2), 0, std, rng));
            relColumn = registerParameter("rel_col", Init.normal(Tensor.zeros(2 * block - 1, dh / 2), 0, std, rng));
        } else {
            relRow = null;
            relColumn = null;
        }
        embRow = registerParameter("emb_row", Init.normal(Tensor.zeros(block, dh), 0, std, rng));
        embColumn = registerParameter("emb_col", Init.normal(Tensor.zeros(block, dh), 0, std, rng));
        embMix = registerParameter("emb_mix", Init.normal(Tensor.zeros(mixtures, dh), 0, std, rng));
        queryProjection = registerModule("q_proj", projection(outChannels, rng));
        keyProjection = registerModule("k_proj", projection(outChannels, rng));
        valueProjection = registerModule("v_proj", projection(mixtures * outChannels, rng));
    }

    private Conv2d projection(int out, Rng rng) {
        return Conv2d.builder().setChannels(inChannels, out).setKernel(1).optBias(false).build(rng);
    }

    /** A builder: {@code setChannels} is required, the {@code opt} settings optional. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Settings of an {@link AttentionStem}, in the style of {@link Conv2d.Builder}: the channels are
     * required; the defaults are the paper's stem (4 x 4 blocks, 4 heads, 4 mixtures, relative logits).
     */
    public static final class Builder {
        private int inChannels;
        private int outChannels;
        private boolean channelsSet;
        private int block = 4;
        private int heads = 4;
        private int mixtures = 4;
        private boolean relativeLogits = true;
        private boolean scaledLogits;

        private Builder() {
        }

        /** Required: input channels (3 for RGB) and output channels (64 in SASA's ResNets). */
        public Builder setChannels(int in, int out) {
            inChannels = in;
            outChannels = out;
            channelsSet = true;
            return this;
        }

        /** The side s of the attention blocks, which the max pool after the stem shares (default 4). */
        public Builder optBlock(int block) {
            this.block = block;
            return this;
        }

        /** The number of heads (default 4); the output channels must split evenly into them. */
        public Builder optHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /** The number M of value matrices {@code W_V^m} mixed per position (default 4). */
        public Builder optMixtures(int mixtures) {
            this.mixtures = mixtures;
            return this;
        }

        /** Whether the logits have the relative term {@code q·r} of the SASA layer (default true). */
        public Builder optRelativeLogits(boolean relative) {
            this.relativeLogits = relative;
            return this;
        }

        /**
         * Whether the logits are multiplied by {@code 1/sqrt(dh)}, as the SASA layer's can be (default false,
         * as the paper; see {@link LocalSelfAttention2d.Builder#optScaledLogits}).
         */
        public Builder optScaledLogits(boolean scaled) {
            this.scaledLogits = scaled;
            return this;
        }

        /**
         * The layer, its parameters initialised from {@code rng}.
         *
         * @throws IllegalStateException if the channels are not set
         * @throws IllegalArgumentException naming the layer and the fix if a setting is invalid
         */
        public AttentionStem build(Rng rng) {
            if (!channelsSet) {
                throw new IllegalStateException("AttentionStem.builder(): setChannels(in, out) is required before build");
            }
            String layer = describe(inChannels, outChannels, heads, block, mixtures, relativeLogits);
            if (inChannels < 1 || outChannels < 1) {
                throw new IllegalArgumentException(layer + ": channels must be at least 1");
            }
            if (block < 1) {
                throw new IllegalArgumentException(layer + ": the block side must be at least 1, got " + block);
            }
            if (mixtures < 1) {
                throw new IllegalArgumentException(layer + ": there must be at least one value matrix, got "
                        + mixtures + " mixtures");
            }
            if (heads < 1) {
                throw new IllegalArgumentException(layer + ": heads must be at least 1, got " + heads);
            }
            if (outChannels % heads != 0) {
                throw new IllegalArgumentException(layer + ": " + outChannels + " output channels do not split into "
                        + heads + " heads; choose output channels divisible by " + heads);
            }
            if (relativeLogits && (outChannels / heads) % 2 != 0) {
                throw new IllegalArgumentException(layer + ": heads of " + outChannels / heads + " channels cannot be"
                        + " halved between the row and column embeddings of the relative logits; choose output"
                        + " channels divisible by " + 2 * heads + ", or optRelativeLogits(false)");
            }
            return new AttentionStem(this, rng);
        }
    }

    @Override
    public Variable forward(Variable input) {
        if (input.rank() != 4 || input.dims()[1] != inChannels) {
            throw new IllegalArgumentException(this + ": expected input (N, " + inChannels + ", H, W), got "
                    + input.shape());
        }
        int height = input.dims()[2];
        int width = input.dims()[3];
        if (height == 0 || width == 0 || height % block != 0 || width % block != 0) {
            throw new IllegalArgumentException(this + ": attends inside " + block + "x" + block + " blocks and needs"
                    + " a height and width that are positive multiples of " + block + ", got " + input.shape());
        }
        Variable y = attention(input, queryProjection.weight(), keyProjection.weight(), valueProjection.weight(),
                embRow, embColumn, embMix, relRow, relColumn, block, heads,
                scaledLogits ? 1 / Math.sqrt(outChannels / heads) : 1);
        return Ledger.record(this, input, y);
    }

    /**
     * The layer as a function of its operands (the computation of {@link #forward}, for any of them,
     * e.g. float64 copies in a gradient check), on x {@code (N, C_in, H, W)} with H and W multiples of
     * {@code block}: weights {@code (C_out, C_in, 1, 1)} for queries and keys and {@code (M C_out, C_in, 1,
     * 1)} for the values, mixture embeddings {@code (block, e)}, {@code (block, e)}, {@code (M, e)} for any
     * e, and relative embeddings {@code (2 block - 1, dh / 2)}, or both null for no relative logits; every
     * logit is multiplied by {@code logitScale} (1, or {@code 1/sqrt(dh)} for scaled logits) before the
     * softmax. Returns {@code (N, C_out, H, W)}.
     *
     * <p>The steps, with {@code P = block²} positions and {@code B = N (H / block) (W / block)} blocks: x
     * is rearranged to {@code (P, B, C_in)} (position inside the block first), so that each projection
     * is one matrix product per position, the values' with that position's mixed matrix; then per block
     * and head the {@code (P, P)} logits, their softmax and the weighted sum of values are batched
     * matrix products, and the result is put back in place.
     */
    public static Variable attention(Variable x, Variable queryWeight, Variable keyWeight, Variable valueWeight,
            Variable embRow, Variable embColumn, Variable embMix, Variable relRow, Variable relColumn, int block,
            int heads, double logitScale) {
        int n = x.dims()[0];
        int in = x.dims()[1];
        int height = x.dims()[2];
        int width = x.dims()[3];
        int out = queryWeight.dims()[0];
        int mixtures = embMix.dims()[0];
        int rows = height / block;
        int columns = width / block;
        int positions = block * block;
        int blocks = n * rows * columns;
        int dh = out / heads;

        // xs[(a, b), (n, I, J), c] = x[n, c, I block + a, J block + b]
        Variable xs = x.reshape(n, in, rows, block, columns, block).permute(3, 5, 0, 2, 4, 1)
                .reshape(positions, blocks, in);

        // p(a, b, m) = softmax over m of (emb_row(a) + emb_col(b)) · ν_m, then W_V(a, b) = sum over m of p W_V^m
        int e = embMix.dims()[1];
        Variable embedding = embRow.reshape(block, 1, e).add(embColumn.reshape(1, block, e)).reshape(positions, e);
        Variable p = embedding.matmul(embMix.transpose(0, 1)).softmax(1);
        Variable mixedValueWeights = p.matmul(valueWeight.reshape(mixtures, out * in)).reshape(positions, out, in);

        Variable q = xs.matmul(queryWeight.reshape(out, in).transpose(0, 1));     // (P, B, C_out)
        Variable k = xs.matmul(keyWeight.reshape(out, in).transpose(0, 1));
        Variable v = xs.matmul(mixedValueWeights.transpose(1, 2));

        Variable logits = byHead(q, positions, blocks, heads, dh).matmul(byHead(k, positions, blocks, heads, dh)
                .transpose(2, 3));                                                  // (B, heads, P, P)
        if (relRow != null) {
            Variable positional = q.reshape(positions, blocks * heads, dh)
                    .matmul(relativeEmbeddings(relRow, relColumn, block))           // (P, B heads, P)
                    .reshape(positions, blocks, heads, positions).permute(1, 2, 0, 3);
            logits = logits.add(positional);
        }
        if (logitScale != 1) {
            logits = logits.mul(logitScale);
        }
        Variable y = logits.softmax(3).matmul(byHead(v, positions, blocks, heads, dh));   // (B, heads, P, dh)
        return y.reshape(n, rows, columns, heads, block, block, dh).permute(0, 3, 6, 1, 4, 2, 5)
                .reshape(n, out, height, width);
    }

    /** {@code (P, B, heads dh)} to {@code (B, heads, P, dh)}: one {@code P x dh} matrix per block and head. */
    private static Variable byHead(Variable t, int positions, int blocks, int heads, int dh) {
        return t.reshape(positions, blocks, heads, dh).permute(1, 2, 0, 3);
    }

    /**
     * The relative embedding of every (query, key) pair of a block, {@code (P, dh, P)}: for the query at
     * (i, j) and the key at (a, b), {@code r_row[a - i + s - 1]} concatenated with {@code r_col[b - j + s - 1]}.
     * For query row i the key rows a = 0 .. s-1 read the consecutive table rows {@code s-1-i .. 2s-2-i}.
     */
    private static Variable relativeEmbeddings(Variable relRow, Variable relColumn, int block) {
        int half = relRow.dims()[1];
        Variable rows = offsets(relRow, block).reshape(block, 1, block, 1, half).expand(block, block, block, block, half);
        Variable columns = offsets(relColumn, block).reshape(1, block, 1, block, half)
                .expand(block, block, block, block, half);
        int positions = block * block;
        return Variable.concat(4, rows, columns).reshape(positions, positions, 2 * half).transpose(1, 2);
    }

    /** {@code (s, s, half)}: entry (i, a) is the table's row {@code a - i + s - 1}. */
    private static Variable offsets(Variable table, int block) {
        Variable[] perQuery = new Variable[block];
        for (int i = 0; i < block; i++) {
            perQuery[i] = table.slice(0, block - 1 - i, 2 * block - 1 - i);
        }
        return Variable.stack(0, perQuery);
    }

    /**
     * What {@link #attention} computes, per pixel of the input ({@code N H W} of them), with
     * {@code P = s²}: the query and key projections {@code 2 C_in C_out}, the value with its position's
     * mixed matrix {@code C_in C_out}, the logits q·k {@code P C_out}, the positional logits q·r
     * {@code P C_out} (each query meets the expanded embedding of every key of its block) and the
     * weighted sum of values {@code P C_out} multiply-adds; once per call, not per image, the mixture
     * logits {@code P M dh} and the mixed matrices {@code P M C_out C_in}. Other ops: per logit, one for
     * the softmax and, with relative logits, one adding the positional term ({@code heads P} each per
     * pixel); once per call, the sums {@code emb_row(a) + emb_col(b)}, {@code P dh}, and the mixture
     * softmax, {@code P M}.
     */
    @Override
    public Cost cost(Shape input, Shape output) {
        long pixels = (long) input.dim(0) * input.dim(2) * input.dim(3);
        long positions = (long) block * block;
        long logitTerms = relativeLogits ? 3 : 2;
        long perPixel = 3L * inChannels * outChannels + logitTerms * positions * outChannels;
        long perCall = positions * mixtures * (outChannels / heads) + positions * mixtures * outChannels * inChannels;
        long logitOps = pixels * heads * positions * (relativeLogits ? 2 : 1);
        return new Cost(pixels * perPixel + perCall, logitOps + positions * (outChannels / heads + mixtures));
    }

    /**
     * The count that reproduces SASA's FLOPs (Table 1: 4.7, 6.0, 7.2 G for the full-attention ResNet-26,
     * -38, -50; Table 7: 7.2 G), a reconstruction, since the paper does not state it: per pixel, the
     * query and key projections {@code 2 C_in C_out}, all M value projections {@code M C_in C_out} and
     * their mixture {@code M C_out} (values mixed after projecting, not the matrices before), and the
     * logits, positional logits and weighted sum {@code P C_out} each. Other ops as {@link #cost}.
     */
    @Override
    public Cost paperCost(Shape input, Shape output) {
        long pixels = (long) input.dim(0) * input.dim(2) * input.dim(3);
        long positions = (long) block * block;
        long logitTerms = relativeLogits ? 3 : 2;
        long perPixel = (2L + mixtures) * inChannels * outChannels + (long) mixtures * outChannels
                + logitTerms * positions * outChannels;
        return new Cost(pixels * perPixel, cost(input, output).otherOps());
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    /** The side s of the attention blocks (and of the max pool that follows in a ResNet). */
    public int block() {
        return block;
    }

    public int heads() {
        return heads;
    }

    /** The number M of value matrices. */
    public int mixtures() {
        return mixtures;
    }

    /** Whether the logits are multiplied by {@code 1/sqrt(dh)}. */
    public boolean scaledLogits() {
        return scaledLogits;
    }

    /** Whether the logits have the relative term {@code q·r}. */
    public boolean relativeLogits() {
        return relativeLogits;
    }

    /** {@code rel_row}, {@code (2s - 1, dh / 2)}; null without relative logits. */
    public Variable relRow() {
        return relRow;
    }

    /** {@code rel_col}, {@code (2s - 1, dh / 2)}; null without relative logits. */
    public Variable relColumn() {
        return relColumn;
    }

    /** {@code emb_row}, the row position's embedding {@code (s, dh)}. */
    public Variable embRow() {
        return embRow;
    }

    /** {@code emb_col}, the column position's embedding {@code (s, dh)}. */
    public Variable embColumn() {
        return embColumn;
    }

    /** {@code emb_mix}, the per-mixture embeddings ν {@code (M, dh)}. */
    public Variable embMix() {
        return embMix;
    }

    /** The query projection {@code q_proj}, a bias-free 1x1 convolution. */
    public Conv2d queryProjection() {
        return queryProjection;
    }

    /** The key projection {@code k_proj}. */
    public Conv2d keyProjection() {
        return keyProjection;
    }

    /** The M value matrices as one bias-free 1x1 convolution {@code v_proj} to {@code M C_out} channels. */
    public Conv2d valueProjection() {
        return valueProjection;
    }

    /** E.g. {@code AttentionStem(3->64, heads=4, block=4, mixtures=4)}. */
    @Override
    public String toString() {
        return describe(inChannels, outChannels, heads, block, mixtures, relativeLogits);
    }

    private static String describe(int in, int out, int heads, int block, int mixtures, boolean relative) {
        return "AttentionStem(" + in + "->" + out + ", heads=" + heads + ", block=" + block + ", mixtures=" + mixtures
                + (relative ? "" : ", no relative logits") + ")";
    }
}

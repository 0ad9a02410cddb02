package vista.nn.san;

import vista.autograd.Function;
import vista.autograd.Variable;
import vista.autograd.functions.Relu;
import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * γ of SAN's attention blocks in training mode, from the relation δ to the aggregation weights, computed
 * a few samples at a time so that no tensor of the size of δ is ever held whole:
 * <pre>
 *   a0 = relu(BN0(δ))        h = W2 a0        a3 = relu(BN3(h))        z = W5 a3 + b5
 *   w  = softmax of z over the K neighbours (pairwise), or z itself (patchwise)
 * </pre>
 * δ is {@code (N, C0, P)} for P positions per sample (K·L for the pairwise relation, one per neighbour
 * and pixel; L for the patchwise one), W2 and W5 are 1x1 convolutions (weights {@code (C1, C0, 1, 1)} and
 * {@code (C2, C1, 1, 1)}), and both BatchNorms use the batch statistics of their N·P values per channel,
 * exactly as the composed layers ({@code conv_w} of {@link PairwiseSelfAttention2d} and
 * {@link PatchwiseSelfAttention2d}) compute them. The result is viewed as {@code (N, Cw, K, L)}.
 *
 * <p><b>Why.</b> At SAN's layer1 shape δ is {@code 8 x 18 x 49 x 3136} floats, 88 MB, and the composed
 * mapping keeps five tensors of that order for backward. Here only the inputs of δ (the small maps φ(x),
 * ψ(x) and the position map) and, for the softmax, w are kept; every pass recomputes δ and what follows
 * it, a chunk of samples at a time (at most about 8 MB per tensor; the chunk depends on the shapes only,
 * so the results do not depend on the thread count). The passes:
 * <pre>
 *   forward   1: moments of δ               -> μ0, r0 = 1 / sqrt(σ0² + eps)
 *             2: h                          -> μ3, r3
 *             3: z, w                       (written into the output)
 *   backward  1: dz from dw (softmax: dz = w (dw - Σ_k w dw)), dW5, db5,
 *                g3 = (W5ᵀ dz) [BN3(h) > 0]  -> Σ g3, Σ g3 ĥ
 *             2: dh = γ3 r3 (g3 - Σ g3 / M - ĥ Σ g3 ĥ / M), dW2 = Σ dh a0ᵀ,
 *                g0 = (W2ᵀ dh) [BN0(δ) > 0]  -> Σ g0, Σ g0 δ̂
 *             3: dδ = γ0 r0 (g0 - Σ g0 / M - δ̂ Σ g0 δ̂ / M), handed to the relation's backward
 * </pre>
 * with M = N·P; dγ = Σ g x̂ and dβ = Σ g for each BatchNorm. The moments are merged across chunks by
 * {@link ChannelMoments}, the sums by {@link GradientSums}, and each chunk is normalised by a
 * {@link ChunkedBatchNorm}. The relation, its inputs and their gradients are the {@link ChunkedRelation}'s.
 *
 * <p>Inputs: the relation's tensors, then γ's seven parameters: BN0's γ and β, W2, BN3's γ and β, W5 and
 * b5 ({@link MappingParameters}). After the forward pass both BatchNorms' batch statistics
 * are available ({@link #statistics}) for the layer's running averages.
 */
public final class SanWeightMapping extends Function {
    /** Floats per chunk tensor that the chunking aims at by default (8 MB of float32). */
    public static final long CHUNK_FLOATS = 1L << 21;

    /**
     * The batch statistics of one BatchNorm: per channel mean, biased variance and the number of values.
     */
    public record Statistics(Tensor mean, Tensor variance, long count) {
    }

    private final ChunkedRelation relation;
    private final int neighbours;
    private final int pixels;
    private final boolean softmax;
    private final double eps;
    private final long chunkFloats;
    private int inputCount;
    private ChunkedBatchNorm first;
    private ChunkedBatchNorm second;

    /**
     * A mapping whose output is viewed as {@code (N, Cw, neighbours, pixels)}, with the softmax over the
     * neighbours if {@code softmax}; both BatchNorms add {@code eps} to the variance.
     */
    public SanWeightMapping(ChunkedRelation relation, int neighbours, int pixels, boolean softmax, double eps) {
        this(relation, neighbours, pixels, softmax, eps, CHUNK_FLOATS);
    }

    /** The same with chunks of about {@code chunkFloats} values per tensor (at least one sample). */
    public SanWeightMapping(ChunkedRelation relation, int neighbours, int pixels, boolean softmax, double eps,
            long chunkFloats) {
        this.relation = relation;
        this.neighbours = neighbours;
        this.pixels = pixels;
        this.softmax = softmax;
        this.eps = eps;
        this.chunkFloats = chunkFloats;
    }

    /** Applies the mapping to the relation's inputs followed by γ's seven parameters, in the class comment's order. */
    public Variable apply(Variable[] relationInputs, Variable... parameters) {
        Variable[] all = new Variable[relationInputs.length + parameters.length];
        System.arraycopy(relationInputs, 0, all, 0, relationInputs.length);
        System.arraycopy(parameters, 0, all, relationInputs.length, parameters.length);
        return apply(all);
    }

    /** The batch statistics of BN0 (index 0) or BN3 (index 1) from the forward pass. */
    public Statistics statistics(int index) {
        ChunkedBatchNorm n = index == 0 ? first : second;
        if (n == null) {
            throw new IllegalStateException("SanWeightMapping: the statistics exist after the forward pass");
        }
        return new Statistics(n.mean, n.variance, n.count);
    }

    @Override
    protected Tensor forward(Tensor... in) {
        MappingParameters p = new MappingParameters(in);
        int batch = in[0].dim(0);
        int positions = relation.positions(in);
        int chunk = chunk(Math.max(relation.channels(in), p.hidden()), positions, batch);
        ChannelMoments deltaMoments = new ChannelMoments(relation.channels(in));
        for (int from = 0; from < batch; from += chunk) {
            deltaMoments.add(relation.forward(in, from, Math.min(batch, from + chunk)));
        }
        first = deltaMoments.normalisation(p.gamma0, p.beta0, eps, in[0].dtype());
        ChannelMoments hiddenMoments = new ChannelMoments(p.hidden());
        for (int from = 0; from < batch; from += chunk) {
            hiddenMoments.add(hidden(in, p, from, Math.min(batch, from + chunk)).h);
        }
        second = hiddenMoments.normalisation(p.gamma3, p.beta3, eps, in[0].dtype());
        int weightChannels = p.outputs() * positions / (neighbours * pixels);
        Tensor out = Tensor.zeros(in[0].dtype(), Shape.of(batch, weightChannels, neighbours, pixels));
        for (int from = 0; from < batch; from += chunk) {
            int to = Math.min(batch, from + chunk);
            Tensor z = p.w5.matmul(hidden(in, p, from, to).a3).add(p.b5);
            Tensor w = z.reshape(to - from, weightChannels, neighbours, pixels);
            out.slice(0, from, to).copyFrom(softmax ? w.softmax(2) : w);
        }
        inputCount = in.length;
        Tensor[] kept = new Tensor[in.length + (softmax ? 1 : 0)];
        System.arraycopy(in, 0, kept, 0, in.length);
        if (softmax) {
            kept[in.length] = out;      // the softmax's backward needs w; without it w is not kept
        }
        save(kept);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor[] in = new Tensor[inputCount];
        for (int i = 0; i < in.length; i++) {
            in[i] = saved(i);
        }
        Tensor out = softmax ? saved(in.length) : null;
        MappingParameters p = new MappingParameters(in);
        int relationInputs = in.length - MappingParameters.COUNT;
        int batch = in[0].dim(0);
        int positions = relation.positions(in);
        int chunk = chunk(Math.max(relation.channels(in), p.hidden()), positions, batch);
        DType dtype = in[0].dtype();

        Tensor dW5 = Tensor.zeros(dtype, Shape.of(p.outputs(), p.hidden()));
        Tensor db5 = Tensor.zeros(dtype, Shape.of(p.outputs(), 1));
        GradientSums hiddenSums = new GradientSums(p.hidden());
        for (int from = 0; from < batch; from += chunk) {
            int to = Math.min(batch, from + chunk);
            Pass pass = hidden(in, p, from, to);
            Tensor dz = outputGradient(out, g, from, to, p.outputs());
            dW5 = dW5.add(dz.matmul(pass.a3.transpose(1, 2)).sum(new int[] {0}, false));
            db5 = db5.add(dz.sum(new int[] {0, 2}, false).reshape(p.outputs(), 1));
            hiddenSums.add(pass.hiddenGradient(p, dz), pass.h, second);
        }

        Tensor dW2 = Tensor.zeros(dtype, Shape.of(p.hidden(), p.inputs()));
        GradientSums deltaSums = new GradientSums(relation.channels(in));
        for (int from = 0; from < batch; from += chunk) {
            int to = Math.min(batch, from + chunk);
            Pass pass = hidden(in, p, from, to);
            Tensor dh = second.inputGradient(pass.hiddenGradient(p, outputGradient(out, g, from, to, p.outputs())),
                    pass.h, hiddenSums);
            dW2 = dW2.add(dh.matmul(pass.a0.transpose(1, 2)).sum(new int[] {0}, false));
            deltaSums.add(pass.deltaGradient(p, dh), pass.delta, first);
        }

        Tensor[] grads = new Tensor[in.length];
        for (int i = 0; i < relationInputs; i++) {
            grads[i] = Tensor.zeros(in[i].dtype(), in[i].shape());
        }
        for (int from = 0; from < batch; from += chunk) {
            int to = Math.min(batch, from + chunk);
            Pass pass = hidden(in, p, from, to);
            Tensor dh = second.inputGradient(pass.hiddenGradient(p, outputGradient(out, g, from, to, p.outputs())),
                    pass.h, hiddenSums);
            Tensor dDelta = first.inputGradient(pass.deltaGradient(p, dh), pass.delta, deltaSums);
            relation.backward(in, from, to, dDelta, grads);
        }
        grads[relationInputs] = deltaSums.weighted(in[relationInputs].dtype());
        grads[relationInputs + 1] = deltaSums.plain(in[relationInputs + 1].dtype());
        grads[relationInputs + 2] = dW2.reshape(in[relationInputs + 2].dims());
        grads[relationInputs + 3] = hiddenSums.weighted(in[relationInputs + 3].dtype());
        grads[relationInputs + 4] = hiddenSums.plain(in[relationInputs + 4].dtype());
        grads[relationInputs + 5] = dW5.reshape(in[relationInputs + 5].dims());
        grads[relationInputs + 6] = db5.reshape(in[relationInputs + 6].dims());
        return grads;
    }

    /** Samples per chunk: as many as keep a {@code (chunk, channels, positions)} tensor near the target, at least one. */
    private int chunk(int channels, int positions, int batch) {
        long perSample = (long) channels * positions;
        return (int) Math.max(1, Math.min(batch, chunkFloats / Math.max(1, perSample)));
    }

    /** dL/dz of samples {@code [from, to)} as {@code (b, C2, P)}, through the softmax if there is one. */
    private Tensor outputGradient(Tensor out, Tensor g, int from, int to, int outputs) {
        Tensor gradient = g.slice(0, from, to);
        if (softmax) {
            Tensor w = out.slice(0, from, to);
            Tensor product = w.mul(gradient);
            gradient = product.sub(w.mul(product.sum(new int[] {2}, true)));
        }
        return gradient.reshape(to - from, outputs, -1);
    }

    /** δ, a0, h and a3 of samples {@code [from, to)}; a3 only once BN3's statistics are known. */
    private Pass hidden(Tensor[] in, MappingParameters p, int from, int to) {
        Tensor delta = relation.forward(in, from, to);
        Tensor a0 = first.applyRelu(delta);
        Tensor h = p.w2.matmul(a0);
        return new Pass(delta, a0, h, second == null ? null : second.applyRelu(h));
    }

    /**
     * The tensors of one chunk's forward pass. The ReLUs' outputs stand for their masks (a > 0 iff the
     * BatchNorm's output is), applied in place to the fresh products {@code W5ᵀ dz} and {@code W2ᵀ dh}.
     */
    private record Pass(Tensor delta, Tensor a0, Tensor h, Tensor a3) {
        /** {@code g3 = (W5ᵀ dz) [BN3(h) > 0]}. */
        Tensor hiddenGradient(MappingParameters p, Tensor dz) {
            return Relu.keepWherePositive(p.w5.transpose(0, 1).matmul(dz), a3);
        }

        /** {@code g0 = (W2ᵀ dh) [BN0(δ) > 0]}. */
        Tensor deltaGradient(MappingParameters p, Tensor dh) {
            return Relu.keepWherePositive(p.w2.transpose(0, 1).matmul(dh), a0);
        }
    }
}

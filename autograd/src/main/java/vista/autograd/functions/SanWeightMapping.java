package vista.autograd.functions;

import vista.autograd.Function;
import vista.autograd.Variable;
import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Storage;
import vista.tensor.Tensor;
import vista.tensor.kernels.ChannelAffine;

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
 * exactly as the composed layers ({@code conv_w} of {@link vista.nn.san.PairwiseSelfAttention2d} and
 * {@link vista.nn.san.PatchwiseSelfAttention2d}) compute them. The result is viewed as {@code (N, Cw, K, L)}.
 *
 * <p><b>Why.</b> At SAN's layer1 shape δ is {@code 8 x 18 x 49 x 3136} floats, 88 MB, and the composed
 * mapping keeps five tensors of that order for backward. Here only the inputs of δ (the small maps φ(x),
 * ψ(x) and the position map) and, for the softmax, w are kept; every pass recomputes δ and what follows it, a chunk of
 * samples at a time (at most about 8 MB per tensor; the chunk depends on the shapes only, so the
 * results do not depend on the thread count). The passes:
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
 * with M = N·P; dγ = Σ g x̂ and dβ = Σ g for each BatchNorm. Moments are combined across chunks in
 * double precision with Chan's formula, in chunk order. The relation, its inputs and their gradients
 * are the {@link Relation}'s.
 *
 * <p>Inputs: the relation's {@link Relation#inputCount()} tensors, then BN0's γ and β, W2, BN3's γ and
 * β, W5 and b5. After the forward pass both BatchNorms' batch statistics are available
 * ({@link #statistics}) for the layer's running averages.
 */
public final class SanWeightMapping extends Function {
    /** Floats per chunk tensor that the chunking aims at by default (8 MB of float32). */
    public static final long CHUNK_FLOATS = 1L << 21;

    /** The relation δ, read a few samples at a time. */
    public interface Relation {
        /** How many of the function's first inputs are the relation's. */
        int inputCount();

        /** The channels C0 of δ, from the relation's inputs. */
        int channels(Tensor[] inputs);

        /** The positions P of δ per sample, from the relation's inputs. */
        int positions(Tensor[] inputs);

        /** δ of samples {@code [from, to)}: {@code (to - from, C0, P)}. */
        Tensor forward(Tensor[] inputs, int from, int to);

        /**
         * Adds the gradient of the relation's inputs for samples {@code [from, to)}, given
         * {@code gradient = dL/dδ} of those samples, to {@code inputGradients} (zero-filled tensors of the
         * inputs' shapes, one per relation input).
         */
        void backward(Tensor[] inputs, int from, int to, Tensor gradient, Tensor[] inputGradients);
    }

    /**
     * The batch statistics of one BatchNorm: per channel mean, biased variance and the number of values.
     */
    public record Statistics(Tensor mean, Tensor variance, long count) {
    }

    private final Relation relation;
    private final int neighbours;
    private final int pixels;
    private final boolean softmax;
    private final double eps;
    private final long chunkFloats;
    private Normalisation first;
    private Normalisation second;

    /**
     * A mapping whose output is viewed as {@code (N, Cw, neighbours, pixels)}, with the softmax over the
     * neighbours if {@code softmax}; both BatchNorms add {@code eps} to the variance.
     */
    public SanWeightMapping(Relation relation, int neighbours, int pixels, boolean softmax, double eps) {
        this(relation, neighbours, pixels, softmax, eps, CHUNK_FLOATS);
    }

    /** The same with chunks of about {@code chunkFloats} values per tensor (at least one sample). */
    public SanWeightMapping(Relation relation, int neighbours, int pixels, boolean softmax, double eps,
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
        Normalisation n = index == 0 ? first : second;
        if (n == null) {
            throw new IllegalStateException("SanWeightMapping: the statistics exist after the forward pass");
        }
        return new Statistics(n.mean, n.variance, n.count);
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Parameters p = new Parameters(in, relation.inputCount());
        int batch = in[0].dim(0);
        int positions = relation.positions(in);
        int chunk = chunk(Math.max(relation.channels(in), p.hidden()), positions, batch);
        Moments deltaMoments = new Moments(relation.channels(in));
        for (int from = 0; from < batch; from += chunk) {
            deltaMoments.add(relation.forward(in, from, Math.min(batch, from + chunk)));
        }
        first = deltaMoments.normalisation(p.gamma0, p.beta0, eps, in[0].dtype());
        Moments hiddenMoments = new Moments(p.hidden());
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
        int count = relation.inputCount();
        Tensor[] in = new Tensor[count + 7];
        for (int i = 0; i < in.length; i++) {
            in[i] = saved(i);
        }
        Tensor out = softmax ? saved(in.length) : null;
        Parameters p = new Parameters(in, count);
        int batch = in[0].dim(0);
        int positions = relation.positions(in);
        int chunk = chunk(Math.max(relation.channels(in), p.hidden()), positions, batch);
        DType dtype = in[0].dtype();

        Tensor dW5 = Tensor.zeros(dtype, Shape.of(p.outputs(), p.hidden()));
        Tensor db5 = Tensor.zeros(dtype, Shape.of(p.outputs(), 1));
        Sums hiddenSums = new Sums(p.hidden());
        for (int from = 0; from < batch; from += chunk) {
            int to = Math.min(batch, from + chunk);
            Pass pass = hidden(in, p, from, to);
            Tensor dz = outputGradient(out, g, from, to, p.outputs());
            dW5 = dW5.add(dz.matmul(pass.a3.transpose(1, 2)).sum(new int[] {0}, false));
            db5 = db5.add(dz.sum(new int[] {0, 2}, false).reshape(p.outputs(), 1));
            hiddenSums.add(pass.hiddenGradient(p, dz), pass.h, second);
        }

        Tensor dW2 = Tensor.zeros(dtype, Shape.of(p.hidden(), p.inputs()));
        Sums deltaSums = new Sums(relation.channels(in));
        for (int from = 0; from < batch; from += chunk) {
            int to = Math.min(batch, from + chunk);
            Pass pass = hidden(in, p, from, to);
            Tensor dh = second.inputGradient(pass.hiddenGradient(p, outputGradient(out, g, from, to, p.outputs())),
                    pass.h, hiddenSums);
            dW2 = dW2.add(dh.matmul(pass.a0.transpose(1, 2)).sum(new int[] {0}, false));
            deltaSums.add(pass.deltaGradient(p, dh), pass.delta, first);
        }

        Tensor[] grads = new Tensor[in.length];
        for (int i = 0; i < count; i++) {
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
        grads[count] = deltaSums.weighted(in[count].dtype());
        grads[count + 1] = deltaSums.plain(in[count + 1].dtype());
        grads[count + 2] = dW2.reshape(in[count + 2].dims());
        grads[count + 3] = hiddenSums.weighted(in[count + 3].dtype());
        grads[count + 4] = hiddenSums.plain(in[count + 4].dtype());
        grads[count + 5] = dW5.reshape(in[count + 5].dims());
        grads[count + 6] = db5.reshape(in[count + 6].dims());
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
    private Pass hidden(Tensor[] in, Parameters p, int from, int to) {
        Tensor delta = relation.forward(in, from, to);
        Tensor a0 = first.applyRelu(delta);
        Tensor h = p.w2.matmul(a0);
        return new Pass(delta, a0, h, second == null ? null : second.applyRelu(h));
    }

    /** The tensors of one chunk's forward pass (the ReLUs' outputs stand for their masks: a > 0 iff z > 0). */
    private record Pass(Tensor delta, Tensor a0, Tensor h, Tensor a3) {
        /** {@code g3 = (W5ᵀ dz) [BN3(h) > 0]}. */
        Tensor hiddenGradient(Parameters p, Tensor dz) {
            return rectified(p.w5.transpose(0, 1).matmul(dz), a3);
        }

        /** {@code g0 = (W2ᵀ dh) [BN0(δ) > 0]}. */
        Tensor deltaGradient(Parameters p, Tensor dh) {
            return rectified(p.w2.transpose(0, 1).matmul(dh), a0);
        }

        /** {@code gradient} (a fresh product, changed in place) where {@code activation > 0}, else 0. */
        private static Tensor rectified(Tensor gradient, Tensor activation) {
            return ChannelAffine.keepWherePositive(gradient, activation);
        }
    }

    /** γ's parameters, with the 1x1 weights as matrices and per-channel vectors as columns. */
    private static final class Parameters {
        final Tensor gamma0;
        final Tensor beta0;
        final Tensor w2;
        final Tensor gamma3;
        final Tensor beta3;
        final Tensor w5;
        final Tensor b5;

        Parameters(Tensor[] in, int offset) {
            gamma0 = in[offset];
            beta0 = in[offset + 1];
            w2 = matrix(in[offset + 2]);
            gamma3 = in[offset + 3];
            beta3 = in[offset + 4];
            w5 = matrix(in[offset + 5]);
            b5 = in[offset + 6].reshape(in[offset + 6].numel(), 1);
        }

        private static Tensor matrix(Tensor pointwise) {
            return pointwise.reshape(pointwise.dim(0), pointwise.dim(1));
        }

        int inputs() {
            return w2.dim(1);
        }

        int hidden() {
            return w2.dim(0);
        }

        int outputs() {
            return w5.dim(0);
        }
    }

    /** Per-channel count, mean and sum of squared deviations, merged chunk by chunk (Chan et al.). */
    private static final class Moments {
        private final double[] mean;
        private final double[] squares;
        private long count;

        Moments(int channels) {
            mean = new double[channels];
            squares = new double[channels];
        }

        /** Adds the values of a {@code (b, C, P)} chunk. */
        void add(Tensor chunk) {
            int[] axes = {0, 2};
            long n = (long) chunk.dim(0) * chunk.dim(2);
            double[] chunkMean = chunk.mean(axes, false).toDoubleArray();
            double[] chunkVariance = chunk.var(axes, false, 0).toDoubleArray();
            long total = count + n;
            for (int c = 0; c < mean.length; c++) {
                double delta = chunkMean[c] - mean[c];
                squares[c] += chunkVariance[c] * n + delta * delta * count * n / total;
                mean[c] += delta * n / total;
            }
            count = total;
        }

        /** The BatchNorm of these moments with γ and β, its per-channel factors in {@code dtype}. */
        Normalisation normalisation(Tensor gamma, Tensor beta, double eps, DType dtype) {
            double[] variance = new double[mean.length];
            for (int c = 0; c < mean.length; c++) {
                variance[c] = squares[c] / count;
            }
            return new Normalisation(mean, variance, count, gamma, beta, eps, dtype);
        }
    }

    /** Per-channel Σ g and Σ g x̂ of a BatchNorm's output gradient g, chunk by chunk. */
    private static final class Sums {
        final double[] plain;
        final double[] weighted;

        Sums(int channels) {
            plain = new double[channels];
            weighted = new double[channels];
        }

        /** Adds Σ g and Σ g x̂ of a {@code (b, C, P)} chunk, with x̂ = x r - μ r of {@code norm}, in double. */
        void add(Tensor gradient, Tensor x, Normalisation norm) {
            Tensor g = gradient.contiguous();
            Tensor input = x.contiguous();
            int channels = plain.length;
            int positions = g.dim(2);
            boolean floats = g.dtype() == DType.FLOAT32 && input.dtype() == DType.FLOAT32;
            float[] gf = floats ? g.floats() : null;
            float[] xf = floats ? input.floats() : null;
            Storage gs = g.storage();
            Storage xs = input.storage();
            for (int n = 0; n < g.dim(0); n++) {
                for (int c = 0; c < channels; c++) {
                    int gAt = g.offset() + (n * channels + c) * positions;
                    int xAt = input.offset() + (n * channels + c) * positions;
                    double r = norm.inverseStd[c];
                    double shift = norm.centred[c];
                    double sum = 0;
                    double weightedSum = 0;
                    for (int i = 0; i < positions; i++) {
                        double v = floats ? gf[gAt + i] : gs.get(gAt + i);
                        double xi = floats ? xf[xAt + i] : xs.get(xAt + i);
                        sum += v;
                        weightedSum += v * (xi * r + shift);
                    }
                    plain[c] += sum;
                    weighted[c] += weightedSum;
                }
            }
        }

        /** Σ g: dL/dβ. */
        Tensor plain(DType dtype) {
            return Tensor.fromArray(plain, plain.length).to(dtype);
        }

        /** Σ g x̂: dL/dγ. */
        Tensor weighted(DType dtype) {
            return Tensor.fromArray(weighted, weighted.length).to(dtype);
        }
    }

    /** A BatchNorm with fixed statistics, applied to {@code (b, C, P)} chunks. */
    private static final class Normalisation {
        final Tensor mean;
        final Tensor variance;
        final long count;
        /** Per channel: r = 1 / sqrt(σ² + eps), -μ r (so x̂ = x r - μ r), γ r and β - μ γ r. */
        final double[] inverseStd;
        final double[] centred;
        private final double[] scale;
        private final double[] shift;

        Normalisation(double[] mean, double[] variance, long count, Tensor gamma, Tensor beta, double eps,
                DType dtype) {
            int channels = mean.length;
            double[] g = gamma.toDoubleArray();
            double[] b = beta.toDoubleArray();
            inverseStd = new double[channels];
            centred = new double[channels];
            scale = new double[channels];
            shift = new double[channels];
            for (int c = 0; c < channels; c++) {
                inverseStd[c] = 1 / Math.sqrt(variance[c] + eps);
                centred[c] = -mean[c] * inverseStd[c];
                scale[c] = g[c] * inverseStd[c];
                shift[c] = b[c] - mean[c] * scale[c];
            }
            this.mean = Tensor.fromArray(mean, channels).to(dtype);
            this.variance = Tensor.fromArray(variance, channels).to(dtype);
            this.count = count;
        }

        /** {@code relu(γ x̂ + β)}. */
        Tensor applyRelu(Tensor x) {
            return ChannelAffine.scaleShiftRelu(x, scale, shift);
        }

        /**
         * {@code dL/dx = γ r (g - Σ g / M - x̂ Σ g x̂ / M)} for the output gradient g of a chunk, as one
         * per-channel combination {@code A g + B x + C}.
         */
        Tensor inputGradient(Tensor gradient, Tensor x, Sums sums) {
            int channels = scale.length;
            double[] a = new double[channels];
            double[] b = new double[channels];
            double[] k = new double[channels];
            for (int c = 0; c < channels; c++) {
                double meanWeighted = sums.weighted[c] / count;
                a[c] = scale[c];
                b[c] = -scale[c] * inverseStd[c] * meanWeighted;
                k[c] = -scale[c] * (sums.plain[c] / count + centred[c] * meanWeighted);
            }
            return ChannelAffine.combine(gradient, a, x, b, k);
        }
    }
}

package vista.nn.san;

import vista.autograd.functions.BatchNorm;
import vista.tensor.DType;
import vista.tensor.Tensor;

/**
 * A training-mode BatchNorm followed by a ReLU, applied to a tensor a chunk at a time once the batch
 * statistics of the whole tensor are known ({@link ChannelMoments}). Per channel, with M values in the
 * batch, r = 1 / sqrt(σ² + eps) and x̂ = (x - μ) r:
 * <pre>
 *   forward    a = relu(γ x̂ + β) = relu(s x + t),        s = γ r,  t = β - μ γ r
 *   backward   dL/dx = γ r (g - Σ g / M - x̂ Σ g x̂ / M)    (g = dL/d(γ x̂ + β))
 * </pre>
 * with the sums over the whole batch from {@link GradientSums}. Both run as one per-channel affine pass
 * ({@link BatchNorm#scaleShiftRelu}, {@link BatchNorm#perChannelCombination}), with the factors computed
 * here in double precision.
 */
final class ChunkedBatchNorm {
    final Tensor mean;
    final Tensor variance;
    final long count;
    /** Per channel: r = 1 / sqrt(σ² + eps). */
    final double[] inverseStd;
    /** Per channel: -μ r, so that x̂ = x r - μ r. */
    final double[] centred;
    /** Per channel: s = γ r. */
    private final double[] scale;
    /** Per channel: t = β - μ γ r. */
    private final double[] shift;

    ChunkedBatchNorm(double[] mean, double[] variance, long count, Tensor gamma, Tensor beta, double eps,
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

    /** {@code relu(γ x̂ + β)} of a {@code (b, C, P)} chunk x. */
    Tensor applyRelu(Tensor x) {
        return BatchNorm.scaleShiftRelu(x, scale, shift);
    }

    /**
     * {@code dL/dx = γ r (g - Σ g / M - x̂ Σ g x̂ / M)} of a chunk x with output gradient g, as one
     * per-channel combination {@code a g + b x + k}: {@code a = γ r}, {@code b = -γ r² Σ g x̂ / M},
     * {@code k = -γ r (Σ g / M - μ r Σ g x̂ / M)}.
     */
    Tensor inputGradient(Tensor gradient, Tensor x, GradientSums sums) {
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
        return BatchNorm.perChannelCombination(gradient, a, x, b, k);
    }
}

package vista.nn.san;

import vista.tensor.DType;
import vista.tensor.Tensor;

/**
 * The batch statistics of a BatchNorm over a tensor read a chunk at a time: per channel c the count n,
 * the mean μ and the sum of squared deviations M2, merged chunk by chunk in double precision (Chan,
 * Golub and LeVeque). Adding a chunk of m values with mean μ_B and biased variance σ_B²:
 * <pre>
 *   d = μ_B - μ,   M2 += σ_B² m + d² n m / (n + m),   μ += d m / (n + m),   n += m
 * </pre>
 * and the batch variance is {@code σ² = M2 / n}. The chunks are merged in the order they are added.
 */
final class ChannelMoments {
    private final double[] mean;
    private final double[] squares;
    private long count;

    ChannelMoments(int channels) {
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

    /** The BatchNorm with these statistics and γ, β, its batch statistics as tensors of {@code dtype}. */
    ChunkedBatchNorm normalisation(Tensor gamma, Tensor beta, double eps, DType dtype) {
        double[] variance = new double[mean.length];
        for (int c = 0; c < mean.length; c++) {
            variance[c] = squares[c] / count;
        }
        return new ChunkedBatchNorm(mean, variance, count, gamma, beta, eps, dtype);
    }
}

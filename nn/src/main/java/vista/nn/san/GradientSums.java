package vista.nn.san;

import vista.tensor.DType;
import vista.tensor.Storage;
import vista.tensor.Tensor;

/**
 * The two per-channel sums a BatchNorm's backward needs, over the whole batch, of its output gradient g
 * read a chunk at a time: {@code Σ g} (which is dL/dβ) and {@code Σ g x̂} (dL/dγ), with
 * {@code x̂ = x r - μ r}. Each (sample, channel) row is summed in double precision in position order,
 * and the rows are added in sample order.
 */
final class GradientSums {
    final double[] plain;
    final double[] weighted;

    GradientSums(int channels) {
        plain = new double[channels];
        weighted = new double[channels];
    }

    /** Adds Σ g and Σ g x̂ of a {@code (b, C, P)} chunk g with input x, x̂ = x r - μ r of {@code norm}. */
    void add(Tensor gradient, Tensor x, ChunkedBatchNorm norm) {
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

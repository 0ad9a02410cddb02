package vista.nn.inference;

import vista.nn.BatchNorm2d;
import vista.tensor.Tensor;

/**
 * The arithmetic of folding an evaluation-mode BatchNorm into the linear map before it. A map with weight
 * w {@code (C, ...)} (its first axis the output channel) and bias b {@code (C)} (or 0), followed by
 * BatchNorm with γ, β, running mean μ, running variance σ² and eps, computes
 * <pre>
 *   BN(w·x + b) = γ (w·x + b - μ) / sqrt(σ² + eps) + β = (w s)·x + (β + (b - μ) s),   s = γ / sqrt(σ² + eps)
 * </pre>
 * so the folded map has {@code w'[o, ...] = w[o, ...] s[o]} and {@code b'[o] = β[o] + (b[o] - μ[o]) s[o]}.
 * Both are computed in double from the stored values and rounded once to the weight's dtype.
 */
public final class BatchNormFolding {
    private BatchNormFolding() {
    }

    /** The folded weight and bias. */
    public record Folded(Tensor weight, Tensor bias) {
    }

    /**
     * {@code w'} and {@code b'} for {@code weight} and {@code bias} (null: 0) followed by {@code norm} in
     * evaluation mode.
     *
     * @throws IllegalArgumentException if the weight's first axis or the bias do not have the norm's channels
     */
    public static Folded fold(Tensor weight, Tensor bias, BatchNorm2d norm) {
        int channels = norm.numFeatures();
        if (weight.rank() < 1 || weight.dims()[0] != channels || bias != null && !bias.shape().equals(
                norm.runningMean().shape())) {
            throw new IllegalArgumentException("Folding " + norm + " into a weight " + weight.shape() + (bias == null
                    ? "" : " and bias " + bias.shape()) + ": the weight's first axis and the bias must have the norm's "
                    + channels + " channels; fold a norm into the layer that produces its input");
        }
        double[] scale = scale(norm);
        double[] w = weight.contiguous().toDoubleArray();
        double[] b = bias == null ? new double[channels] : bias.contiguous().toDoubleArray();
        double[] mean = norm.runningMean().toDoubleArray();
        double[] beta = norm.bias().data().toDoubleArray();
        Tensor foldedWeight = Tensor.zeros(weight.dtype(), weight.shape());
        Tensor foldedBias = Tensor.zeros(weight.dtype(), norm.runningMean().shape());
        int perChannel = w.length / channels;
        for (int o = 0; o < channels; o++) {
            for (int k = o * perChannel; k < (o + 1) * perChannel; k++) {
                foldedWeight.storage().set(k, w[k] * scale[o]);
            }
            foldedBias.storage().set(o, beta[o] + (b[o] - mean[o]) * scale[o]);
        }
        return new Folded(foldedWeight, foldedBias);
    }

    /** {@code s[c] = γ[c] / sqrt(σ²[c] + eps)}, in double. */
    static double[] scale(BatchNorm2d norm) {
        double[] gamma = norm.weight().data().toDoubleArray();
        double[] variance = norm.runningVar().toDoubleArray();
        double[] s = new double[gamma.length];
        for (int c = 0; c < s.length; c++) {
            s[c] = gamma[c] / Math.sqrt(variance[c] + norm.eps());
        }
        return s;
    }
}

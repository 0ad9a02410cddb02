package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;
import vista.tensor.kernels.BatchNormKernels;

/**
 * Training-mode batch normalisation followed by a ReLU, in the passes of {@link BatchNorm} alone: inputs
 * x {@code (N, C, ...)}, γ {@code (C)}, β {@code (C)}. With μ, σ², r and x̂ as in {@link BatchNorm}:
 * <pre>
 *   z = max(0, γ x̂ + β)
 * </pre>
 * Backward, with {@code g = dL/dz [z > 0]} (the ReLU's gradient, 0 where the normalised value is
 * {@code <= 0}) and sums over the channel's n values:
 * <pre>
 *   dL/dβ = sum g,   dL/dγ = sum g x̂,   dL/dx = γ r (g - sum g / n - x̂ sum g x̂ / n)
 * </pre>
 * The results have the same bits as {@code new BatchNorm(eps)} followed by {@link Relu}, forward and
 * backward, and the same batch statistics ({@link #mean()}, {@link #variance()}); the output is written
 * once instead of twice and the ReLU's mask and masked gradient are never stored. Saved for backward: x,
 * γ, μ, r and the output z (whose sign is the mask).
 */
public final class BatchNormRelu extends Function {
    private final double eps;
    private Tensor mean;
    private Tensor variance;

    /** Batch normalisation with {@code eps} added to the variance, then a ReLU. */
    public BatchNormRelu(double eps) {
        this.eps = eps;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        BatchNormKernels.Forward result = BatchNormKernels.trainRelu(inputs[0], inputs[1], inputs[2], eps);
        mean = result.mean();
        variance = result.variance();
        save(inputs[0], inputs[1], result.mean(), result.inverseStd(), result.output());
        return result.output();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        BatchNormKernels.Gradients grads = BatchNormKernels.backwardRelu(g, saved(4), saved(0), saved(1), saved(2),
                saved(3), needsInputGrad(0));
        return new Tensor[] {grads.input(), grads.weight(), grads.bias()};
    }

    /** The batch mean μ of each channel, shape {@code (C)}, from the forward pass. */
    public Tensor mean() {
        requireForward();
        return mean;
    }

    /** The biased batch variance σ² of each channel, shape {@code (C)}, from the forward pass. */
    public Tensor variance() {
        requireForward();
        return variance;
    }

    private void requireForward() {
        if (mean == null) {
            throw new IllegalStateException("BatchNormRelu: the batch statistics exist only after apply()");
        }
    }
}

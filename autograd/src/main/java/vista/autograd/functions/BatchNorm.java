package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;
import vista.tensor.kernels.BatchNormKernels;

/**
 * Training-mode batch normalisation, fused: inputs x {@code (N, C, ...)}, γ {@code (C)}, β {@code (C)}.
 * Per channel, over the n = N L values of the batch and positions (L = product of the axes after C):
 * <pre>
 *   μ = mean(x),  σ² = mean((x - μ)²)  (biased),  r = 1 / sqrt(σ² + eps),  x̂ = (x - μ) r
 *   y = γ x̂ + β
 * </pre>
 * Backward, through μ and σ² as well (g = dL/dy, sums over the channel's n values):
 * <pre>
 *   dL/dβ = sum g,   dL/dγ = sum g x̂,   dL/dx = γ r (g - sum g / n - x̂ sum g x̂ / n)
 * </pre>
 * The heavy loops are in {@link BatchNormKernels}. After {@link #apply} the batch statistics are
 * available from {@link #mean()} and {@link #variance()}, for a layer to update its running statistics.
 * Saved for backward: x (already held by the graph), γ, μ and r; x̂ is recomputed rather than stored.
 */
public final class BatchNorm extends Function {
    private final double eps;
    private Tensor mean;
    private Tensor variance;

    /** Batch normalisation with {@code eps} added to the variance (PyTorch's default is 1e-5). */
    public BatchNorm(double eps) {
        this.eps = eps;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        BatchNormKernels.Forward result = BatchNormKernels.train(inputs[0], inputs[1], inputs[2], eps);
        mean = result.mean();
        variance = result.variance();
        save(inputs[0], inputs[1], result.mean(), result.inverseStd());
        return result.output();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        BatchNormKernels.Gradients grads = BatchNormKernels.backward(g, saved(0), saved(1), saved(2), saved(3),
                needsInputGrad(0));
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
            throw new IllegalStateException("BatchNorm: the batch statistics exist only after apply()");
        }
    }
}

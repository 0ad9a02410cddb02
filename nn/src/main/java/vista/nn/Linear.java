package vista.nn;

import vista.autograd.Complexity;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * A fully connected layer: {@code y = x W^T + b} for x of shape {@code (..., in)}, with
 * {@code weight} W of shape {@code (out, in)} and {@code bias} b of shape {@code (out)} (PyTorch's
 * names and layout, so state dicts load either way).
 *
 * <p>Backward (by the autograd ops it is made of, g = dL/dy, rows of a batch summed):
 * {@code dL/dx = g W}, {@code dL/dW = g^T x}, {@code dL/db = sum over rows of g}.
 *
 * <p>Initialisation as PyTorch's default: every weight and bias value uniform on
 * {@code [-1/sqrt(in), 1/sqrt(in))}, drawn from the given {@link Rng} in row-major order, the weight
 * first, then the bias (for the weight this is Kaiming uniform with a = sqrt(5), see {@link Init}).
 */
public final class Linear extends Module implements Complexity {
    private final int inFeatures;
    private final int outFeatures;
    private final Variable weight;
    private final Variable bias;

    /** A layer {@code in -> out} with a bias, initialised from {@code rng}. */
    public Linear(int inFeatures, int outFeatures, Rng rng) {
        this(inFeatures, outFeatures, true, rng);
    }

    /** A layer {@code in -> out}, with or without a bias, initialised from {@code rng}. */
    public Linear(int inFeatures, int outFeatures, boolean bias, Rng rng) {
        if (inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("Linear: in and out features must be >= 1, got " + inFeatures
                    + " -> " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        double bound = 1 / Math.sqrt(inFeatures);
        this.weight = registerParameter("weight",
                Init.uniform(Tensor.zeros(outFeatures, inFeatures), -bound, bound, rng));
        this.bias = bias
                ? registerParameter("bias", Init.uniform(Tensor.zeros(outFeatures), -bound, bound, rng))
                : null;
    }

    @Override
    public Variable forward(Variable input) {
        if (input.rank() < 1 || input.dims()[input.rank() - 1] != inFeatures) {
            throw new IllegalArgumentException(this + ": expected input (N, " + inFeatures + "), got "
                    + input.shape());
        }
        return Ledger.record(this, input, linear(input, weight, bias));
    }

    /** {@code in} multiply-adds per output value ({@code rows in out} in all); the bias adds are other ops. */
    @Override
    public Cost cost(Shape input, Shape output) {
        long outputs = output.numel();
        return new Cost(outputs * inFeatures, bias == null ? 0 : outputs);
    }

    /** {@code y = x W^T + b} ({@code bias} may be null): the computation of {@link #forward}, for any operands. */
    public static Variable linear(Variable input, Variable weight, Variable bias) {
        Variable y = input.matmul(weight.transpose(0, 1));
        return bias == null ? y : y.add(bias);
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    /** W, shape {@code (out, in)}. */
    public Variable weight() {
        return weight;
    }

    /** b, shape {@code (out)}, or null for a layer without bias. */
    public Variable bias() {
        return bias;
    }

    @Override
    public String toString() {
        return "Linear(" + inFeatures + "->" + outFeatures + (bias == null ? ", no bias" : "") + ")";
    }
}

package vista.nn.inference;

import vista.autograd.Autograd;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.autograd.functions.BatchNorm;
import vista.nn.BatchNorm2d;
import vista.nn.Module;
import vista.tensor.Tensor;

/**
 * An evaluation-mode BatchNorm and the ReLU after it, in one pass, for a norm that no convolution precedes
 * (a pre-activation block's, or one after a residual sum):
 * <pre>
 *   y = relu(s x + t),   s = γ / sqrt(σ² + eps),   t = β - μ s
 * </pre>
 * s and t computed in double from the stored values ({@link BatchNorm#scaleShiftRelu}, one per-channel
 * affine pass instead of a norm pass and a ReLU pass). Inference only: it records nothing and refuses to
 * run while gradients are recorded.
 */
public final class InferenceNormRelu extends Module {
    private final double[] scale;
    private final double[] shift;
    private final String origin;

    /** {@code norm} (its current statistics, γ and β, copied) followed by a ReLU. */
    public InferenceNormRelu(BatchNorm2d norm) {
        scale = BatchNormFolding.scale(norm);
        double[] beta = norm.bias().data().toDoubleArray();
        double[] mean = norm.runningMean().toDoubleArray();
        shift = new double[scale.length];
        for (int c = 0; c < scale.length; c++) {
            shift[c] = beta[c] - mean[c] * scale[c];
        }
        origin = norm.toString();
    }

    /**
     * {@code relu(s x + t)} of x {@code (N, C, H, W)}.
     *
     * @throws IllegalStateException if gradients are being recorded (call it inside {@code Autograd.noGrad()})
     * @throws IllegalArgumentException if x is not 4-D with the norm's channels
     */
    @Override
    public Variable forward(Variable input) {
        if (Autograd.isGradEnabled()) {
            throw new IllegalStateException(this + " is part of a folded network, which computes no gradients: run"
                    + " it inside Autograd.noGrad(), or train the network it was folded from");
        }
        int[] d = input.dims();
        if (d.length != 4 || d[1] != scale.length) {
            throw new IllegalArgumentException(this + ": expected input (N, " + scale.length + ", H, W), got "
                    + input.shape());
        }
        Tensor y = BatchNorm.scaleShiftRelu(input.data().reshape(d[0], d[1], d[2] * d[3]), scale, shift);
        return Ledger.record(this, input, new Variable(y.reshape(d)));
    }

    /** E.g. {@code Inference[BatchNorm2d(64), relu]}. */
    @Override
    public String toString() {
        return "Inference[" + origin + ", relu]";
    }
}

package vista.nn;

import vista.autograd.Complexity;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.autograd.functions.BatchNorm;
import vista.autograd.functions.BatchNormRelu;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * Batch normalisation of NCHW activations (Ioffe and Szegedy 2015), with PyTorch's semantics and
 * state-dict names: parameters {@code weight} (γ, initially 1) and {@code bias} (β, initially 0),
 * buffers {@code running_mean} (initially 0) and {@code running_var} (initially 1), all of shape
 * {@code (C)}.
 *
 * <p><b>Training mode</b>, per channel over the n = N H W values of the batch (the fused
 * {@link BatchNorm} function, where the backward formulas are):
 * <pre>
 *   μ = mean(x),  σ² = mean((x - μ)²)  (biased),  y = γ (x - μ) / sqrt(σ² + eps) + β
 *   running_mean = (1 - momentum) running_mean + momentum μ
 *   running_var  = (1 - momentum) running_var  + momentum σ² n / (n - 1)      (unbiased)
 * </pre>
 * The gradient flows through μ and σ². The running statistics are updated on every training-mode
 * forward pass, with or without gradient recording, in double precision and then rounded.
 *
 * <p><b>Evaluation mode</b>: {@code y = γ (x - running_mean) / sqrt(running_var + eps) + β}, buffers
 * unchanged; backward {@code dL/dx = g γ / sqrt(running_var + eps)},
 * {@code dL/dγ = sum g (x - running_mean) / sqrt(running_var + eps)}, {@code dL/dβ = sum g}.
 *
 * <p><b>With a ReLU</b>: {@link #forwardRelu} is {@code relu(forward(x))}, the same bits forward and
 * backward and the same running statistics; in training mode it runs as one {@link BatchNormRelu} node,
 * which writes the activation once and applies the ReLU's mask inside the normalisation's backward
 * passes. (Evaluation mode runs the two steps as they are; inference folds them into the convolution
 * before, see {@code vista.nn.inference}.)
 *
 * <p>Any rank-4 tensor {@code (N, C, A, B)} is accepted; SAN's blocks normalise {@code (B, C, k*k, H*W)}
 * tensors this way, with statistics over B k² H W values per channel.
 *
 * <p>PyTorch also keeps a {@code num_batches_tracked} buffer, used only when momentum is None
 * (cumulative averaging). Vista has no such mode and leaves it out, so a state dict holds exactly the
 * four tensors above, as the parity fixtures do; drop that entry when loading a PyTorch state dict.
 */
public final class BatchNorm2d extends Module implements Complexity {
    /** PyTorch's default eps, added to the variance. */
    public static final double DEFAULT_EPS = 1e-5;
    /** PyTorch's default momentum of the running statistics. */
    public static final double DEFAULT_MOMENTUM = 0.1;

    private final int numFeatures;
    private final double eps;
    private final double momentum;
    private final Variable weight;
    private final Variable bias;
    private final Tensor runningMean;
    private final Tensor runningVar;

    /** Batch normalisation of {@code numFeatures} channels with eps 1e-5 and momentum 0.1. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, DEFAULT_EPS, DEFAULT_MOMENTUM);
    }

    public BatchNorm2d(int numFeatures, double eps, double momentum) {
        if (numFeatures < 1) {
            throw new IllegalArgumentException("BatchNorm2d: numFeatures must be >= 1, got " + numFeatures);
        }
        if (!(eps >= 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm2d(" + numFeatures + "): expected eps >= 0 and momentum "
                    + "in [0, 1], got eps " + eps + " and momentum " + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = registerParameter("weight", Tensor.ones(numFeatures));
        this.bias = registerParameter("bias", Tensor.zeros(numFeatures));
        this.runningMean = registerBuffer("running_mean", Tensor.zeros(numFeatures));
        this.runningVar = registerBuffer("running_var", Tensor.ones(numFeatures));
    }

    @Override
    public Variable forward(Variable input) {
        checkInput(input);
        return Ledger.record(this, input, isTraining() ? trainForward(input) : evalForward(input));
    }

    /**
     * {@code relu(forward(input))}: in training mode one fused node ({@link BatchNormRelu}), with the same
     * bits and running-statistics update as the two steps; in evaluation mode the two steps.
     */
    public Variable forwardRelu(Variable input) {
        if (!isTraining()) {
            return forward(input).relu();
        }
        checkInput(input);
        return Ledger.record(this, input, trainForwardRelu(input));
    }

    /**
     * {@code relu.forward(forward(input))} with a registered {@link ReLU} layer, fused as
     * {@link #forwardRelu(Variable)}; the layer's call is recorded as well, so summaries count it as before.
     */
    public Variable forwardRelu(Variable input, ReLU relu) {
        if (!isTraining()) {
            return relu.forward(forward(input));
        }
        Variable y = forwardRelu(input);
        return Ledger.record(relu, y, y);
    }

    private void checkInput(Variable input) {
        if (input.rank() != 4 || input.dims()[1] != numFeatures) {
            throw new IllegalArgumentException(this + ": expected input (N, " + numFeatures + ", H, W), got "
                    + input.shape());
        }
    }

    /**
     * Other ops only, two per element: with the statistics, γ and β folded into a per-channel scale a
     * and shift b, normalisation is {@code y = a x + b} (the inference cost; the statistics of training
     * mode are not counted).
     */
    @Override
    public Cost cost(Shape input, Shape output) {
        return Cost.otherOps(2L * output.numel());
    }

    private Variable trainForward(Variable input) {
        long n = valuesPerChannel(input);
        BatchNorm batchNorm = new BatchNorm(eps);
        Variable y = batchNorm.apply(input, weight, bias);
        updateRunningStatistics(batchNorm.mean(), batchNorm.variance(), n);
        return y;
    }

    private Variable trainForwardRelu(Variable input) {
        long n = valuesPerChannel(input);
        BatchNormRelu batchNorm = new BatchNormRelu(eps);
        Variable y = batchNorm.apply(input, weight, bias);
        updateRunningStatistics(batchNorm.mean(), batchNorm.variance(), n);
        return y;
    }

    /** n = N H W, which training mode needs to be at least 2. */
    private long valuesPerChannel(Variable input) {
        int[] dims = input.dims();
        long n = (long) dims[0] * dims[2] * dims[3];
        if (n < 2) {
            throw new IllegalArgumentException(this + ": training mode needs more than one value per channel "
                    + "to estimate the variance, got input " + input.shape());
        }
        return n;
    }

    /**
     * Moves the running averages towards a batch's statistics, as a training-mode pass does:
     * {@code running_mean = (1 - m) running_mean + m μ}, {@code running_var = (1 - m) running_var
     * + m σ² n / (n - 1)} (the unbiased variance), for the batch mean μ and biased variance σ² of
     * {@code count} = n values per channel. Public for fused operations that normalise with this layer's
     * parameters without calling {@link #forward}.
     */
    public void updateRunningStatistics(Tensor mean, Tensor variance, long count) {
        double unbiased = (double) count / (count - 1);
        for (int c = 0; c < numFeatures; c++) {
            runningMean.set((1 - momentum) * runningMean.get(c) + momentum * mean.get(c), c);
            runningVar.set((1 - momentum) * runningVar.get(c) + momentum * variance.get(c) * unbiased, c);
        }
    }

    private Variable evalForward(Variable input) {
        Tensor inverseStd = Tensor.zeros(input.dtype(), Shape.of(numFeatures));
        for (int c = 0; c < numFeatures; c++) {
            inverseStd.set(1 / Math.sqrt(runningVar.get(c) + eps), c);
        }
        Variable scale = weight.mul(new Variable(inverseStd)).reshape(1, numFeatures, 1, 1);
        Variable mean = new Variable(runningMean.to(input.dtype()).reshape(1, numFeatures, 1, 1));
        return input.sub(mean).mul(scale).add(bias.reshape(1, numFeatures, 1, 1));
    }

    public int numFeatures() {
        return numFeatures;
    }

    public double eps() {
        return eps;
    }

    public double momentum() {
        return momentum;
    }

    /** γ, shape {@code (C)}. */
    public Variable weight() {
        return weight;
    }

    /** β, shape {@code (C)}. */
    public Variable bias() {
        return bias;
    }

    /** The running mean, shape {@code (C)} (the live buffer). */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The running (unbiased) variance, shape {@code (C)} (the live buffer). */
    public Tensor runningVar() {
        return runningVar;
    }

    @Override
    public String toString() {
        return "BatchNorm2d(" + numFeatures + ")";
    }
}

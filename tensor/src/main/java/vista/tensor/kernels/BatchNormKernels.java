package vista.tensor.kernels;

import java.util.Arrays;
import vista.tensor.DType;
import vista.tensor.Tensor;
import vista.tensor.runtime.Kernels;

/**
 * Training-mode batch normalisation (Ioffe and Szegedy 2015) over every axis but the channel axis.
 *
 * <p>The input x has shape {@code (N, C, ...)}: a batch of N, C channels, then any number of further
 * axes (H, W for images; SAN also normalises {@code (B, C, k*k, H*W)} tensors). Let
 * {@code L = product of the axes after C} and {@code n = N L}, the number of values each channel has.
 * Per channel c, with γ = {@code weight[c]}, β = {@code bias[c]}:
 * <pre>
 *   μ      = (1/n) sum_{i, l} x[i, c, l]                     (batch mean)
 *   σ²     = (1/n) sum_{i, l} (x[i, c, l] - μ)²              (biased batch variance)
 *   r      = 1 / sqrt(σ² + eps)                              (inverse standard deviation)
 *   x̂      = (x - μ) r
 *   y      = γ x̂ + β
 * </pre>
 * Backward, with g = dL/dy and the gradient flowing through μ and σ²:
 * <pre>
 *   dL/dβ  = sum_{i, l} g
 *   dL/dγ  = sum_{i, l} g x̂
 *   dL/dx  = γ r (g - (1/n) sum g - x̂ (1/n) sum g x̂)
 * </pre>
 *
 * <p><b>With a ReLU</b> ({@link #trainRelu}, {@link #backwardRelu}): the output is {@code z = max(0, y)}
 * (0 for y <= 0 and for -0; NaN stays NaN), written in the pass that normalises, and backward takes
 * {@code dL/dz} and the output z and uses {@code g = dL/dz [z > 0]} (the ReLU's gradient; {@code z > 0}
 * exactly where {@code y > 0}) in place of dL/dy inside its own passes. Each value is rounded exactly as
 * by the two operations run one after the other ({@link vista.tensor.Tensor#relu()} on the output of
 * {@link #train}, then the ReLU's backward {@code dL/dz * (z > 0 ? 1 : 0)} before {@link #backward}), so
 * the fused results have the same bits as the unfused ones.
 *
 * <p>This class checks shapes and picks the implementation: {@link BatchNormReference} (double
 * precision, reads like the formulas) for float64 operands or when {@link Kernels#FAST} is false,
 * {@link BatchNormFast} (float, Vector API, parallel over channels) when everything is float32. The
 * results have float64 type if any operand has, else float32.
 */
public final class BatchNormKernels {
    private BatchNormKernels() {
    }

    /**
     * The results of a training-mode forward pass: y, and per channel (shape {@code (C)}) the batch
     * mean μ, the biased batch variance σ² and the inverse standard deviation r = 1 / sqrt(σ² + eps).
     */
    public record Forward(Tensor output, Tensor mean, Tensor variance, Tensor inverseStd) {
    }

    /** dL/dx (null when it was not asked for), dL/dγ and dL/dβ. */
    public record Gradients(Tensor input, Tensor weight, Tensor bias) {
    }

    /**
     * Normalises {@code x} with its own batch statistics, then scales by {@code weight} (γ) and shifts by
     * {@code bias} (β); see the class comment.
     *
     * @throws IllegalArgumentException if x is not {@code (N, C, ...)} with γ and β of shape {@code (C)},
     *     or a channel has fewer than one value
     */
    public static Forward train(Tensor x, Tensor weight, Tensor bias, double eps) {
        checkTrain(x, weight, bias, eps);
        return allFloat32(x, weight, bias)
                ? BatchNormFast.train(x, weight, bias, eps)
                : BatchNormReference.train(x, weight, bias, eps);
    }

    /**
     * {@link #train} followed by a ReLU, in one pass over the output: the output of the result is
     * {@code max(0, γ x̂ + β)}, the statistics those of {@link #train}; see the class comment.
     *
     * @throws IllegalArgumentException as {@link #train}
     */
    public static Forward trainRelu(Tensor x, Tensor weight, Tensor bias, double eps) {
        checkTrain(x, weight, bias, eps);
        return allFloat32(x, weight, bias)
                ? BatchNormFast.trainRelu(x, weight, bias, eps)
                : BatchNormReference.trainRelu(x, weight, bias, eps);
    }

    private static void checkTrain(Tensor x, Tensor weight, Tensor bias, double eps) {
        checkInput("batchNorm", x);
        checkChannelVector("batchNorm", "weight", weight, x);
        checkChannelVector("batchNorm", "bias", bias, x);
        if (perChannel(x) == 0) {
            throw new IllegalArgumentException("batchNorm: input " + x.shape()
                    + " has no values per channel; batch statistics need at least one");
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("batchNorm: eps must be >= 0, got " + eps);
        }
    }

    /**
     * The gradients of a training-mode forward pass, given {@code gradOutput} = dL/dy, the input x, γ,
     * and the batch mean and inverse standard deviation that forward pass returned. dL/dx is computed
     * only if {@code inputGradient} is true.
     */
    public static Gradients backward(Tensor gradOutput, Tensor x, Tensor weight, Tensor mean, Tensor inverseStd,
                                     boolean inputGradient) {
        checkBackward(gradOutput, x, weight, mean, inverseStd);
        return allFloat32(gradOutput, x, weight, mean, inverseStd)
                ? BatchNormFast.backward(gradOutput, x, weight, mean, inverseStd, inputGradient)
                : BatchNormReference.backward(gradOutput, x, weight, mean, inverseStd, inputGradient);
    }

    /**
     * The gradients of {@link #trainRelu}, given {@code gradOutput} = dL/dz for its output
     * {@code z = max(0, y)}, that output, and x, γ, μ and r as for {@link #backward}: the gradients of
     * {@link #backward} for {@code dL/dy = dL/dz [z > 0]}, the mask applied inside its passes.
     */
    public static Gradients backwardRelu(Tensor gradOutput, Tensor output, Tensor x, Tensor weight, Tensor mean,
                                         Tensor inverseStd, boolean inputGradient) {
        checkBackward(gradOutput, x, weight, mean, inverseStd);
        if (!output.shape().equals(x.shape())) {
            throw new IllegalArgumentException("batchNorm backward: output of shape " + output.shape()
                    + " does not match the input " + x.shape());
        }
        return allFloat32(gradOutput, output, x, weight, mean, inverseStd)
                ? BatchNormFast.backwardRelu(gradOutput, output, x, weight, mean, inverseStd, inputGradient)
                : BatchNormReference.backwardRelu(gradOutput, output, x, weight, mean, inverseStd, inputGradient);
    }

    private static void checkBackward(Tensor gradOutput, Tensor x, Tensor weight, Tensor mean, Tensor inverseStd) {
        checkInput("batchNorm backward", x);
        checkChannelVector("batchNorm backward", "weight", weight, x);
        checkChannelVector("batchNorm backward", "mean", mean, x);
        checkChannelVector("batchNorm backward", "inverseStd", inverseStd, x);
        if (!gradOutput.shape().equals(x.shape())) {
            throw new IllegalArgumentException("batchNorm backward: gradient of shape " + gradOutput.shape()
                    + " does not match the input " + x.shape());
        }
    }

    /** The number of values per channel and batch element: the product of the axes after the channel axis. */
    static int spatial(Tensor x) {
        int l = 1;
        for (int a = 2; a < x.rank(); a++) {
            l *= x.dim(a);
        }
        return l;
    }

    /** n = N L, the number of values of each channel. */
    static int perChannel(Tensor x) {
        return x.dim(0) * spatial(x);
    }

    /** FLOAT64 if any tensor is, else FLOAT32. */
    static DType resultType(Tensor... tensors) {
        return Arrays.stream(tensors).anyMatch(t -> t.dtype() == DType.FLOAT64) ? DType.FLOAT64 : DType.FLOAT32;
    }

    private static boolean allFloat32(Tensor... tensors) {
        return Kernels.FAST && resultType(tensors) == DType.FLOAT32;
    }

    private static void checkInput(String op, Tensor x) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException(op + ": expected an input (N, C, ...) of rank 2 or more, got "
                    + x.shape());
        }
    }

    private static void checkChannelVector(String op, String what, Tensor t, Tensor x) {
        if (t.rank() != 1 || t.dim(0) != x.dim(1)) {
            throw new IllegalArgumentException(op + ": expected " + what + " of shape [" + x.dim(1)
                    + "] for input " + x.shape() + ", got " + t.shape());
        }
    }
}

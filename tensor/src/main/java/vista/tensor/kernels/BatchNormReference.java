package vista.tensor.kernels;

import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Storage;
import vista.tensor.Tensor;
import vista.tensor.runtime.Kernels;

/**
 * The scalar reference of {@link BatchNormKernels}, in double precision: one loop per formula of that
 * class, channel by channel, sums accumulated left to right over the batch and then the positions.
 * It serves float64 tensors, float32 ones when {@link Kernels#FAST} is false, and is the oracle of the
 * fast kernel's tests.
 *
 * <p>Operands are read through contiguous copies: element {@code (i, c, l)} of x (l the flattened
 * position after the channel axis) is at {@code (i C + c) L + l}.
 */
public final class BatchNormReference {
    private BatchNormReference() {
    }

    /** {@link BatchNormKernels#train}: batch statistics, then {@code y = γ (x - μ) r + β}. */
    public static BatchNormKernels.Forward train(Tensor x, Tensor weight, Tensor bias, double eps) {
        return train(x, weight, bias, eps, false);
    }

    /**
     * {@link BatchNormKernels#trainRelu}: as {@link #train}, with the output {@code max(0, y)} ({@code y <= 0}
     * gives 0, NaN stays NaN), taken of y in double before it is rounded to the result type. Rounding to
     * nearest keeps a value's sign and turns no positive value negative, so this is the ReLU of the rounded
     * y, the unfused result.
     */
    public static BatchNormKernels.Forward trainRelu(Tensor x, Tensor weight, Tensor bias, double eps) {
        return train(x, weight, bias, eps, true);
    }

    private static BatchNormKernels.Forward train(Tensor x, Tensor weight, Tensor bias, double eps, boolean relu) {
        DType dtype = BatchNormKernels.resultType(x, weight, bias);
        Tensor xc = x.contiguous();
        Storage in = xc.storage();
        int offset = xc.offset();
        int batch = x.dim(0);
        int channels = x.dim(1);
        int l = BatchNormKernels.spatial(x);
        int n = batch * l;
        Tensor out = Tensor.zeros(dtype, x.shape());
        Tensor mean = Tensor.zeros(dtype, Shape.of(channels));
        Tensor variance = Tensor.zeros(dtype, Shape.of(channels));
        Tensor inverseStd = Tensor.zeros(dtype, Shape.of(channels));
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int i = 0; i < batch; i++) {
                for (int p = 0; p < l; p++) {
                    sum += in.get(offset + (i * channels + c) * l + p);
                }
            }
            double mu = sum / n;
            double squares = 0;
            for (int i = 0; i < batch; i++) {
                for (int p = 0; p < l; p++) {
                    double d = in.get(offset + (i * channels + c) * l + p) - mu;
                    squares += d * d;
                }
            }
            double var = squares / n;
            double r = 1 / Math.sqrt(var + eps);
            double gamma = weight.get(c);
            double beta = bias.get(c);
            for (int i = 0; i < batch; i++) {
                for (int p = 0; p < l; p++) {
                    int at = (i * channels + c) * l + p;
                    double xHat = (in.get(offset + at) - mu) * r;
                    double y = gamma * xHat + beta;
                    out.storage().set(at, relu && y <= 0 ? 0.0 : y);
                }
            }
            mean.storage().set(c, mu);
            variance.storage().set(c, var);
            inverseStd.storage().set(c, r);
        }
        return new BatchNormKernels.Forward(out, mean, variance, inverseStd);
    }

    /**
     * {@link BatchNormKernels#backward}: {@code dβ = sum g}, {@code dγ = sum g x̂},
     * {@code dx = γ r (g - sum g / n - x̂ sum g x̂ / n)} with {@code x̂ = (x - μ) r}.
     */
    public static BatchNormKernels.Gradients backward(Tensor gradOutput, Tensor x, Tensor weight, Tensor mean,
                                                      Tensor inverseStd, boolean inputGradient) {
        return backward(gradOutput, null, x, weight, mean, inverseStd, inputGradient);
    }

    /**
     * {@link BatchNormKernels#backwardRelu}: {@link #backward} with every value of g read as
     * {@code g (z > 0 ? 1 : 0)}, z the output of {@link #trainRelu} (the product the ReLU's backward makes,
     * exact in double and in float).
     */
    public static BatchNormKernels.Gradients backwardRelu(Tensor gradOutput, Tensor output, Tensor x, Tensor weight,
                                                          Tensor mean, Tensor inverseStd, boolean inputGradient) {
        return backward(gradOutput, output.contiguous(), x, weight, mean, inverseStd, inputGradient);
    }

    /** The gradients, with g masked by {@code reluOutput > 0} unless reluOutput is null (then contiguous). */
    private static BatchNormKernels.Gradients backward(Tensor gradOutput, Tensor reluOutput, Tensor x, Tensor weight,
                                                       Tensor mean, Tensor inverseStd, boolean inputGradient) {
        DType dtype = BatchNormKernels.resultType(gradOutput, x, weight, mean, inverseStd);
        Tensor gc = gradOutput.contiguous();
        Tensor xc = x.contiguous();
        Storage g = gc.storage();
        Storage in = xc.storage();
        int batch = x.dim(0);
        int channels = x.dim(1);
        int l = BatchNormKernels.spatial(x);
        int n = batch * l;
        Tensor dx = inputGradient ? Tensor.zeros(dtype, x.shape()) : null;
        Tensor dGamma = Tensor.zeros(dtype, Shape.of(channels));
        Tensor dBeta = Tensor.zeros(dtype, Shape.of(channels));
        for (int c = 0; c < channels; c++) {
            double mu = mean.get(c);
            double r = inverseStd.get(c);
            double sumG = 0;
            double sumGXHat = 0;
            for (int i = 0; i < batch; i++) {
                for (int p = 0; p < l; p++) {
                    int at = (i * channels + c) * l + p;
                    double gv = gradient(g, gc.offset() + at, reluOutput, at);
                    sumG += gv;
                    sumGXHat += gv * (in.get(xc.offset() + at) - mu) * r;
                }
            }
            dBeta.storage().set(c, sumG);
            dGamma.storage().set(c, sumGXHat);
            if (dx != null) {
                double scale = weight.get(c) * r;
                for (int i = 0; i < batch; i++) {
                    for (int p = 0; p < l; p++) {
                        int at = (i * channels + c) * l + p;
                        double xHat = (in.get(xc.offset() + at) - mu) * r;
                        double gv = gradient(g, gc.offset() + at, reluOutput, at);
                        dx.storage().set(at, scale * (gv - sumG / n - xHat * sumGXHat / n));
                    }
                }
            }
        }
        return new BatchNormKernels.Gradients(dx, dGamma, dBeta);
    }

    /** g at {@code index}, times {@code [z > 0]} with z the contiguous ReLU output at {@code at} (if there is one). */
    private static double gradient(Storage g, int index, Tensor reluOutput, int at) {
        double gv = g.get(index);
        return reluOutput == null ? gv : gv * (reluOutput.storage().get(reluOutput.offset() + at) > 0 ? 1 : 0);
    }
}

package vista.tensor.kernels;

import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.runtime.Kernels;

/**
 * 2-D convolution (PyTorch's {@code conv2d}: cross-correlation, zero padding, stride, dilation, groups)
 * and its two backward passes, on NCHW tensors.
 *
 * <pre>
 *   out[n, o, i, j] = bias[o] + sum over c < Cg, u < kH, v < kW of
 *                     w[o, c, u, v] * x[n, g Cg + c, i sH - pH + u dH, j sW - pW + v dW]
 * </pre>
 * with {@code Cg = C_in / groups}, {@code g = o / (C_out / groups)} and x = 0 outside the image; the
 * sizes are those of the {@link ConvGeometry}. Backward, with {@code G = dL/dout}:
 * {@code dL/dx[n, g Cg + c, y, z] = sum of w[o, c, u, v] G[n, o, i, j]} over the (o, u, v, i, j) whose
 * term read {@code x[n, g Cg + c, y, z]}; {@code dL/dw[o, c, u, v] = sum over n, i, j of
 * G[n, o, i, j] x[n, g Cg + c, i sH - pH + u dH, j sW - pW + v dW]}; {@code dL/dbias[o] = sum over n,
 * i, j of G[n, o, i, j]}.
 *
 * <p>This class checks shapes (errors name the layer as the geometry prints it, and the shapes) and picks
 * the implementation: {@link ConvolutionReference} if any operand is float64 (all are then computed in
 * float64) or {@link Kernels#FAST} is false, {@link ConvolutionFast} otherwise. Results are new contiguous
 * tensors.
 */
public final class ConvolutionKernels {
    private ConvolutionKernels() {
    }

    /**
     * {@code conv2d(x, weight) + bias}: x is {@code (N, C_in, H, W)}, weight
     * {@code (C_out, C_in / groups, kH, kW)}, bias {@code (C_out)} or null; returns
     * {@code (N, C_out, H_out, W_out)}.
     */
    public static Tensor forward(Tensor x, Tensor weight, Tensor bias, ConvGeometry geometry) {
        geometry.outputShape(x.shape());
        geometry.checkParameters(weight.shape(), bias == null ? null : bias.shape());
        DType dtype = commonType(x, weight, bias);
        if (useFast(dtype)) {
            return ConvolutionFast.forward(x, weight, bias, geometry);
        }
        Tensor b = bias == null ? null : bias.to(dtype);
        return ConvolutionReference.forward(x.to(dtype), weight.to(dtype), b, geometry);
    }

    /**
     * The inference convolution, with its epilogue applied to each output tile as soon as the tile's sums
     * are complete:
     * <pre>
     *   y = relu(conv(x, w) + b + r)
     * </pre>
     * b the epilogue's per-channel bias {@code (C_out)}, r its residual (the output's shape) and the ReLU
     * only if asked ({@link ConvolutionEpilogue}); absent parts are 0 or the identity. With a bias alone
     * the result has the bits of {@link #forward(Tensor, Tensor, Tensor, ConvGeometry)}; the residual is
     * then added and the ReLU taken in float32, element by element, so the bits do not depend on threads
     * or vector width. The reference computes the whole expression in double and rounds once.
     */
    public static Tensor forward(Tensor x, Tensor weight, ConvGeometry geometry, ConvolutionEpilogue epilogue) {
        Shape outShape = geometry.outputShape(x.shape());
        Tensor bias = epilogue.bias();
        Tensor residual = epilogue.residual();
        geometry.checkParameters(weight.shape(), bias == null ? null : bias.shape());
        epilogue.checkResidual(outShape, geometry);
        DType dtype = commonType(x, weight, bias);
        if (residual != null && residual.dtype() == DType.FLOAT64) {
            dtype = DType.FLOAT64;
        }
        if (useFast(dtype)) {
            return ConvolutionFast.forward(x, weight, geometry, epilogue);
        }
        ConvolutionEpilogue wide = new ConvolutionEpilogue(bias == null ? null : bias.to(dtype),
                residual == null ? null : residual.to(dtype), epilogue.relu());
        return ConvolutionReference.forward(x.to(dtype), weight.to(dtype), geometry, wide);
    }

    /** {@code dL/dx}, of shape {@code inputShape}, from {@code gradOutput = dL/dout} and the weight. */
    public static Tensor backwardInput(Tensor gradOutput, Tensor weight, Shape inputShape, ConvGeometry geometry) {
        geometry.checkGradOutput(gradOutput.shape(), inputShape);
        geometry.checkParameters(weight.shape(), null);
        DType dtype = commonType(gradOutput, weight, null);
        if (useFast(dtype)) {
            return ConvolutionFast.backwardInput(gradOutput, weight, inputShape, geometry);
        }
        return ConvolutionReference.backwardInput(gradOutput.to(dtype), weight.to(dtype), inputShape, geometry);
    }

    /** {@code dL/dweight}, of shape {@code (C_out, C_in / groups, kH, kW)}, from {@code gradOutput} and the input. */
    public static Tensor backwardWeight(Tensor gradOutput, Tensor x, ConvGeometry geometry) {
        geometry.checkGradOutput(gradOutput.shape(), x.shape());
        DType dtype = commonType(gradOutput, x, null);
        if (useFast(dtype)) {
            return ConvolutionFast.backwardWeight(gradOutput, x, geometry);
        }
        return ConvolutionReference.backwardWeight(gradOutput.to(dtype), x.to(dtype), geometry);
    }

    /**
     * {@code dL/dbias[o] = sum over n, i, j of gradOutput[n, o, i, j]}, shape {@code (C_out)}. The fast
     * path is {@link ReductionsKernels#sum} over axes 0, 2 and 3, whose order does not depend on threads or
     * vector width.
     */
    public static Tensor backwardBias(Tensor gradOutput) {
        if (gradOutput.rank() != 4) {
            throw new IllegalArgumentException("Conv2d bias gradient: expected a 4-D output gradient (N, C, H, W), got "
                    + gradOutput.shape());
        }
        if (useFast(gradOutput.dtype())) {
            return ReductionsKernels.sum(gradOutput, new int[] {0, 2, 3}, false);
        }
        return ConvolutionReference.backwardBias(gradOutput);
    }

    private static DType commonType(Tensor a, Tensor b, Tensor c) {
        boolean wide = a.dtype() == DType.FLOAT64 || b.dtype() == DType.FLOAT64
                || c != null && c.dtype() == DType.FLOAT64;
        return wide ? DType.FLOAT64 : DType.FLOAT32;
    }

    private static boolean useFast(DType dtype) {
        return Kernels.FAST && dtype == DType.FLOAT32;
    }
}

package vista.tensor.kernels;

import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * What an inference convolution does to each output element right after its sum is complete:
 * <pre>
 *   y[n, o, i, j] = relu( conv(x, w)[n, o, i, j] + bias[o] + residual[n, o, i, j] )
 * </pre>
 * with each part optional: {@code bias} {@code (C_out)} or null (0), {@code residual} of the output's shape
 * or null (0), and the ReLU ({@code v <= 0 ? 0 : v}, NaN kept) only when {@code relu}. This is a folded
 * BatchNorm's shift, a residual block's shortcut and its activation, done while the output tile is still in
 * cache instead of in three more passes over memory (see {@link ConvolutionKernels#forward(Tensor, Tensor,
 * vista.tensor.geometry.ConvGeometry, ConvolutionEpilogue)}).
 *
 * @param bias     per output channel, or null
 * @param residual added element by element, the output's shape, or null
 * @param relu     whether the result goes through a ReLU
 */
public record ConvolutionEpilogue(Tensor bias, Tensor residual, boolean relu) {
    /** Nothing after the sum: the plain convolution without bias. */
    public static final ConvolutionEpilogue NONE = new ConvolutionEpilogue(null, null, false);

    /** Fails, naming the layer and both shapes, unless the residual has the output's shape. */
    void checkResidual(Shape output, Object layer) {
        if (residual != null && !residual.shape().equals(output)) {
            throw new IllegalArgumentException(layer + ": the residual added in the epilogue must have the output's "
                    + "shape " + output + ", got " + residual.shape());
        }
    }
}

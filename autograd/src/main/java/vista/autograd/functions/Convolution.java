package vista.autograd.functions;

import vista.autograd.Complexity;
import vista.autograd.Function;
import vista.autograd.Variable;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.kernels.ConvolutionEpilogue;
import vista.tensor.kernels.ConvolutionKernels;

/**
 * 2-D convolution (PyTorch's {@code conv2d}), inputs {@code (x, weight)} or {@code (x, weight, bias)}:
 * x is {@code (N, C_in, H, W)}, weight {@code (C_out, C_in / groups, kH, kW)}, bias {@code (C_out)}; the
 * sizes are those of the {@link ConvGeometry}. With {@code Cg = C_in / groups} and {@code g = o / (C_out / groups)}:
 * <pre>
 *   y[n, o, i, j] = bias[o] + sum over c < Cg, u < kH, v < kW of
 *                   w[o, c, u, v] * x[n, g Cg + c, i sH - pH + u dH, j sW - pW + v dW]      (x = 0 outside)
 * </pre>
 * Backward, with {@code G = dL/dy}: every term {@code w * x} above sends {@code G[n, o, i, j] * x} to
 * {@code dL/dw[o, c, u, v]} and {@code G[n, o, i, j] * w} to {@code dL/dx} at the position it read;
 * {@code dL/dbias[o] = sum over n, i, j of G[n, o, i, j]}. The kernels are in {@link ConvolutionKernels};
 * the cost, for this operation and the {@code Conv2d} layer alike, is
 * {@link #cost(ConvGeometry, boolean, Shape)}.
 */
public final class Convolution extends Function implements Complexity {
    private final ConvGeometry geometry;
    private boolean hasBias;

    public Convolution(ConvGeometry geometry) {
        if (!geometry.isConvolution()) {
            throw new IllegalArgumentException("Conv2d: " + geometry + " is a pooling window, not a convolution");
        }
        this.geometry = geometry;
    }

    /** {@code conv2d(x, weight) + bias}; {@code bias} may be null. */
    public static Variable apply(Variable x, Variable weight, Variable bias, ConvGeometry geometry) {
        Convolution op = new Convolution(geometry);
        return bias == null ? op.apply(x, weight) : op.apply(x, weight, bias);
    }

    /**
     * The inference convolution on raw tensors, outside the graph: {@code y = relu(conv(x, w) + b + r)},
     * with the bias b {@code (C_out)} or null (0), the residual r (the output's shape) or null (0), and the
     * ReLU only if {@code relu}: the kernel's {@link ConvolutionEpilogue}, applied to each output tile right
     * after its sums. It records nothing and saves nothing; a folded network's layers call it.
     */
    public static Tensor inference(Tensor x, Tensor weight, Tensor bias, Tensor residual, boolean relu,
            ConvGeometry geometry) {
        return ConvolutionKernels.forward(x, weight, geometry, new ConvolutionEpilogue(bias, residual, relu));
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        if (inputs.length != 2 && inputs.length != 3) {
            throw new IllegalArgumentException(geometry + ": expected the inputs (x, weight) or (x, weight, bias), got "
                    + inputs.length + " inputs");
        }
        hasBias = inputs.length == 3;
        Tensor bias = hasBias ? inputs[2] : null;
        save(inputs[0], inputs[1]);
        return ConvolutionKernels.forward(inputs[0], inputs[1], bias, geometry);
    }

    /** {@code Conv2d 1x1}, {@code Conv2d 3x3}, ...: pointwise and spatial convolutions run different kernels. */
    @Override
    public String profileName() {
        return "Conv2d " + geometry.kernelHeight() + "x" + geometry.kernelWidth();
    }

    /** {@link #cost(ConvGeometry, boolean, Shape)} of this call, with or without the bias it was given. */
    @Override
    public Cost cost(Shape input, Shape output) {
        return cost(geometry, hasBias, output);
    }

    /**
     * What a convolution of {@code geometry} producing {@code output} costs: {@code N C_out H_out W_out
     * (C_in / groups) kH kW} multiply-adds (each output value sums {@code (C_in / groups) kH kW} products)
     * and, with a bias, {@code N C_out H_out W_out} other ops (its additions).
     */
    public static Cost cost(ConvGeometry geometry, boolean bias, Shape output) {
        long outputs = output.numel();
        long macs = outputs * geometry.inChannelsPerGroup() * geometry.kernelHeight() * geometry.kernelWidth();
        return new Cost(macs, bias ? outputs : 0);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor x = saved(0);
        Tensor w = saved(1);
        Tensor dx = needsInputGrad(0) ? ConvolutionKernels.backwardInput(g, w, x.shape(), geometry) : null;
        Tensor dw = needsInputGrad(1) ? ConvolutionKernels.backwardWeight(g, x, geometry) : null;
        if (!hasBias) {
            return new Tensor[] {dx, dw};
        }
        return new Tensor[] {dx, dw, needsInputGrad(2) ? ConvolutionKernels.backwardBias(g) : null};
    }
}

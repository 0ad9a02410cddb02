package vista.autograd.functions;

import vista.autograd.Function;
import vista.autograd.Variable;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.kernels.PoolingKernels;

/**
 * 2-D max pooling (PyTorch's {@code max_pool2d}, dilation 1, ceil_mode false) of x {@code (N, C, H, W)}
 * over a pooling {@link ConvGeometry}:
 * <pre>
 *   y[n, c, i, j] = max over u < kH, v < kW of x[n, c, i sH - pH + u, j sW - pW + v]   (padding = -infinity)
 * </pre>
 * Backward: {@code dL/dx[n, c, argmax] += G[n, c, i, j]} for every output, argmax being the window's
 * cell holding the maximum (the first in row-major window order on ties, as PyTorch; recomputed from the
 * saved input); where windows overlap, contributions add up.
 */
public final class MaxPooling extends Function {
    private final ConvGeometry window;

    public MaxPooling(ConvGeometry window) {
        this.window = window;
    }

    /** Max pooling of {@code x} over {@code window}. */
    public static Variable apply(Variable x, ConvGeometry window) {
        return new MaxPooling(window).apply(x);
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        save(inputs[0]);
        return PoolingKernels.maxPool(inputs[0], window);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {PoolingKernels.maxPoolBackward(g, saved(0), window)};
    }
}

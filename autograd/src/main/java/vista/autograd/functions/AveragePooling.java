package vista.autograd.functions;

import vista.autograd.Function;
import vista.autograd.Variable;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.kernels.PoolingKernels;

/**
 * 2-D average pooling (PyTorch's {@code avg_pool2d}, ceil_mode false) of x {@code (N, C, H, W)} over a
 * pooling {@link ConvGeometry}:
 * <pre>
 *   y[n, c, i, j] = (1 / D) sum over u < kH, v < kW of x[n, c, i sH - pH + u, j sW - pW + v]   (padding = 0)
 * </pre>
 * with {@code D = kH kW} when {@code countIncludePad} (PyTorch's default), else the number of the window's
 * cells inside the image. Backward: every cell of the window inside the image receives
 * {@code G[n, c, i, j] / D}; where windows overlap, contributions add up.
 */
public final class AveragePooling extends Function {
    private final ConvGeometry window;
    private final boolean countIncludePad;

    public AveragePooling(ConvGeometry window, boolean countIncludePad) {
        this.window = window;
        this.countIncludePad = countIncludePad;
    }

    /** Average pooling of {@code x} over {@code window}. */
    public static Variable apply(Variable x, ConvGeometry window, boolean countIncludePad) {
        return new AveragePooling(window, countIncludePad).apply(x);
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        return PoolingKernels.avgPool(inputs[0], window, countIncludePad);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {PoolingKernels.avgPoolBackward(g, inputShape(0), window, countIncludePad)};
    }
}

package vista.tensor.kernels;

import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.runtime.Kernels;

/**
 * 2-D pooling on NCHW tensors, with PyTorch's semantics ({@code ceil_mode} false, dilation 1): max
 * pooling, average pooling and global average pooling, and their backward passes. The window is a
 * pooling {@link ConvGeometry} ({@link ConvGeometry#pooling}).
 *
 * <ul>
 *   <li>{@code maxPool}: {@code out[n, c, i, j] = max over the window's cells inside the image}; padding
 *       is minus infinity (never selected). Backward routes each output's gradient to its window's
 *       maximum, the first one in row-major window order on ties (as PyTorch); overlapping windows add
 *       up.</li>
 *   <li>{@code avgPool}: {@code out = (sum of the window's cells inside the image) / D}, padding counts
 *       as 0; {@code D = kH kW} with {@code countIncludePad} (PyTorch's default), else the number of cells
 *       inside the image. Backward: each cell of the window receives {@code g / D}.</li>
 *   <li>{@code globalAvgPool}: {@code (N, C, H, W) -> (N, C, 1, 1)}, the mean of each plane; backward:
 *       {@code g / (H W)} everywhere.</li>
 * </ul>
 * This class checks shapes (errors name the layer and the shapes) and picks the implementation:
 * {@link PoolingReference} for float64 or when {@link Kernels#FAST} is false, {@link PoolingFast}
 * otherwise. Results are new contiguous tensors of the input's dtype.
 */
public final class PoolingKernels {
    private PoolingKernels() {
    }

    /** Max pooling of {@code x} (N, C, H, W) over {@code window}. */
    public static Tensor maxPool(Tensor x, ConvGeometry window) {
        checkWindow(window);
        window.outputShape(x.shape());
        return fast(x) ? PoolingFast.maxPool(x, window) : PoolingReference.maxPool(x, window);
    }

    /** {@code dL/dx} of {@link #maxPool}, from {@code gradOutput = dL/dout} and the input {@code x}. */
    public static Tensor maxPoolBackward(Tensor gradOutput, Tensor x, ConvGeometry window) {
        checkWindow(window);
        window.checkGradOutput(gradOutput.shape(), x.shape());
        DType dtype = x.dtype() == DType.FLOAT64 || gradOutput.dtype() == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32;
        Tensor g = gradOutput.to(dtype);
        Tensor input = x.to(dtype);
        return fast(input)
                ? PoolingFast.maxPoolBackward(g, input, window)
                : PoolingReference.maxPoolBackward(g, input, window);
    }

    /** Average pooling of {@code x} (N, C, H, W) over {@code window}; see the class comment for D. */
    public static Tensor avgPool(Tensor x, ConvGeometry window, boolean countIncludePad) {
        checkWindow(window);
        window.outputShape(x.shape());
        return fast(x)
                ? PoolingFast.avgPool(x, window, countIncludePad)
                : PoolingReference.avgPool(x, window, countIncludePad);
    }

    /** {@code dL/dx} of {@link #avgPool}, of shape {@code inputShape}. */
    public static Tensor avgPoolBackward(Tensor gradOutput, Shape inputShape, ConvGeometry window,
            boolean countIncludePad) {
        checkWindow(window);
        window.checkGradOutput(gradOutput.shape(), inputShape);
        return fast(gradOutput)
                ? PoolingFast.avgPoolBackward(gradOutput, inputShape, window, countIncludePad)
                : PoolingReference.avgPoolBackward(gradOutput, inputShape, window, countIncludePad);
    }

    /** The mean of each plane: {@code (N, C, H, W) -> (N, C, 1, 1)}. */
    public static Tensor globalAvgPool(Tensor x) {
        checkGlobalInput(x.shape());
        return fast(x) ? PoolingFast.globalAvgPool(x) : PoolingReference.globalAvgPool(x);
    }

    /** {@code dL/dx} of {@link #globalAvgPool}: {@code gradOutput[n, c, 0, 0] / (H W)} over each plane. */
    public static Tensor globalAvgPoolBackward(Tensor gradOutput, Shape inputShape) {
        checkGlobalInput(inputShape);
        Shape expected = Shape.of(inputShape.dim(0), inputShape.dim(1), 1, 1);
        if (!gradOutput.shape().equals(expected)) {
            throw new IllegalArgumentException("GlobalAvgPool2d: expected an output gradient of shape " + expected
                    + " for input " + inputShape + ", got " + gradOutput.shape());
        }
        return fast(gradOutput)
                ? PoolingFast.globalAvgPoolBackward(gradOutput, inputShape)
                : PoolingReference.globalAvgPoolBackward(gradOutput, inputShape);
    }

    private static void checkWindow(ConvGeometry window) {
        if (window.isConvolution()) {
            throw new IllegalArgumentException(window + " is a convolution, not a pooling window; make one with"
                    + " ConvGeometry.pooling");
        }
    }

    private static void checkGlobalInput(Shape input) {
        if (input.rank() != 4) {
            throw new IllegalArgumentException("GlobalAvgPool2d: expected a 4-D input (N, C, H, W), got " + input);
        }
        if (input.dim(2) == 0 || input.dim(3) == 0) {
            throw new IllegalArgumentException("GlobalAvgPool2d: input " + input + " has no pixels to average");
        }
    }

    private static boolean fast(Tensor t) {
        return Kernels.FAST && t.dtype() == DType.FLOAT32;
    }
}

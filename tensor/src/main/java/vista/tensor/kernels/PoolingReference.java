package vista.tensor.kernels;

import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Storage;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.runtime.Kernels;

/**
 * The scalar reference of max, average and global average pooling, in double precision, on NCHW
 * tensors of any layout. Each channel of each sample is pooled on its own. Output {@code (i, j)} covers
 * the window of rows {@code i sH - pH .. i sH - pH + kH - 1} and columns {@code j sW - pW .. j sW - pW + kW - 1}
 * (the sizes of the {@link ConvGeometry}, dilation 1); the part of a window outside the image is
 * padding.
 * <ul>
 *   <li><b>max</b>: {@code out = max of the window's cells inside the image} (padding is minus
 *       infinity, never selected). The window is scanned row by row; a cell replaces the current
 *       maximum if it is larger, or NaN (PyTorch's rule: ties keep the first maximum, a NaN propagates).
 *       Backward sends each output's gradient to that cell: {@code dL/dx[argmax] += g}, so where windows
 *       overlap the contributions add up.</li>
 *   <li><b>average</b>: {@code out = (sum of the window's cells inside the image) / D}, with
 *       {@code D = kH kW} when {@code countIncludePad} (padding counts as zeros, PyTorch's default) and
 *       D = the number of cells inside the image otherwise. Backward: every cell of the window inside the
 *       image receives {@code g / D}.</li>
 *   <li><b>global average</b>: {@code out[n, c, 0, 0] = mean over (y, z) of x[n, c, y, z]}; backward:
 *       every cell receives {@code g / (H W)}.</li>
 * </ul>
 * Shapes are checked by {@link PoolingKernels}; this serves float64 tensors, float32 ones when
 * {@link Kernels#FAST} is false, and is the oracle of {@link PoolingFast}.
 */
public final class PoolingReference {
    private PoolingReference() {
    }

    /** Max pooling. */
    public static Tensor maxPool(Tensor x, ConvGeometry window) {
        Shape outShape = window.outputShape(x.shape());
        Tensor out = Tensor.zeros(x.dtype(), outShape);
        Planes xs = new Planes(x);
        int index = 0;
        for (int n = 0; n < x.dim(0); n++) {
            for (int c = 0; c < x.dim(1); c++) {
                for (int i = 0; i < outShape.dim(2); i++) {
                    for (int j = 0; j < outShape.dim(3); j++) {
                        int[] cell = argmax(xs, n, c, i, j, window);
                        out.storage().set(index++, xs.get(n, c, cell[0], cell[1]));
                    }
                }
            }
        }
        return out;
    }

    /** {@code dL/dx} of max pooling: each output gradient goes to its window's maximum. */
    public static Tensor maxPoolBackward(Tensor gradOutput, Tensor x, ConvGeometry window) {
        Planes gs = new Planes(gradOutput);
        Planes xs = new Planes(x);
        double[] dx = new double[x.numel()];
        int height = x.dim(2);
        int width = x.dim(3);
        for (int n = 0; n < x.dim(0); n++) {
            for (int c = 0; c < x.dim(1); c++) {
                int plane = (n * x.dim(1) + c) * height * width;
                for (int i = 0; i < gradOutput.dim(2); i++) {
                    for (int j = 0; j < gradOutput.dim(3); j++) {
                        int[] cell = argmax(xs, n, c, i, j, window);
                        dx[plane + cell[0] * width + cell[1]] += gs.get(n, c, i, j);
                    }
                }
            }
        }
        return tensorOf(dx, gradOutput.dtype(), x.shape());
    }

    /**
     * The cell {row, column} of window {@code (i, j)} holding the maximum: the first in row-major order
     * among equals, the last NaN if there is one; the window's first cell inside the image if every cell
     * is minus infinity.
     */
    private static int[] argmax(Planes xs, int n, int c, int i, int j, ConvGeometry window) {
        Range rows = Range.rows(window, i, xs.height);
        Range cols = Range.columns(window, j, xs.width);
        int[] best = {rows.start, cols.start};
        double max = Double.NEGATIVE_INFINITY;
        for (int y = rows.start; y < rows.end; y++) {
            for (int z = cols.start; z < cols.end; z++) {
                double value = xs.get(n, c, y, z);
                if (value > max || Double.isNaN(value)) {
                    max = value;
                    best = new int[] {y, z};
                }
            }
        }
        return best;
    }

    /** Average pooling. */
    public static Tensor avgPool(Tensor x, ConvGeometry window, boolean countIncludePad) {
        Shape outShape = window.outputShape(x.shape());
        Tensor out = Tensor.zeros(x.dtype(), outShape);
        Planes xs = new Planes(x);
        int index = 0;
        for (int n = 0; n < x.dim(0); n++) {
            for (int c = 0; c < x.dim(1); c++) {
                for (int i = 0; i < outShape.dim(2); i++) {
                    Range rows = Range.rows(window, i, xs.height);
                    for (int j = 0; j < outShape.dim(3); j++) {
                        Range cols = Range.columns(window, j, xs.width);
                        double sum = 0;
                        for (int y = rows.start; y < rows.end; y++) {
                            for (int z = cols.start; z < cols.end; z++) {
                                sum += xs.get(n, c, y, z);
                            }
                        }
                        out.storage().set(index++, sum / divisor(rows, cols, countIncludePad));
                    }
                }
            }
        }
        return out;
    }

    /** {@code dL/dx} of average pooling: each output gradient divided by D goes to its window's cells. */
    public static Tensor avgPoolBackward(Tensor gradOutput, Shape inputShape, ConvGeometry window,
            boolean countIncludePad) {
        Planes gs = new Planes(gradOutput);
        double[] dx = new double[inputShape.numel()];
        int height = inputShape.dim(2);
        int width = inputShape.dim(3);
        for (int n = 0; n < inputShape.dim(0); n++) {
            for (int c = 0; c < inputShape.dim(1); c++) {
                int plane = (n * inputShape.dim(1) + c) * height * width;
                for (int i = 0; i < gradOutput.dim(2); i++) {
                    Range rows = Range.rows(window, i, height);
                    for (int j = 0; j < gradOutput.dim(3); j++) {
                        Range cols = Range.columns(window, j, width);
                        double share = gs.get(n, c, i, j) / divisor(rows, cols, countIncludePad);
                        for (int y = rows.start; y < rows.end; y++) {
                            for (int z = cols.start; z < cols.end; z++) {
                                dx[plane + y * width + z] += share;
                            }
                        }
                    }
                }
            }
        }
        return tensorOf(dx, gradOutput.dtype(), inputShape);
    }

    /**
     * D: with {@code countIncludePad}, the window's size clipped to the padded image (PyTorch's
     * {@code pool_size}, which is {@code kH kW} whenever ceil_mode is false), else its cells inside the image.
     */
    private static int divisor(Range rows, Range cols, boolean countIncludePad) {
        return countIncludePad
                ? rows.paddedCount * cols.paddedCount
                : (rows.end - rows.start) * (cols.end - cols.start);
    }

    /** Global average pooling: {@code (N, C, H, W) -> (N, C, 1, 1)}. */
    public static Tensor globalAvgPool(Tensor x) {
        Planes xs = new Planes(x);
        Tensor out = Tensor.zeros(x.dtype(), Shape.of(x.dim(0), x.dim(1), 1, 1));
        int index = 0;
        for (int n = 0; n < x.dim(0); n++) {
            for (int c = 0; c < x.dim(1); c++) {
                double sum = 0;
                for (int y = 0; y < xs.height; y++) {
                    for (int z = 0; z < xs.width; z++) {
                        sum += xs.get(n, c, y, z);
                    }
                }
                out.storage().set(index++, sum / (xs.height * xs.width));
            }
        }
        return out;
    }

    /** {@code dL/dx} of global average pooling: {@code g / (H W)} everywhere in the plane. */
    public static Tensor globalAvgPoolBackward(Tensor gradOutput, Shape inputShape) {
        Planes gs = new Planes(gradOutput);
        int area = inputShape.dim(2) * inputShape.dim(3);
        Tensor dx = Tensor.zeros(gradOutput.dtype(), inputShape);
        int index = 0;
        for (int n = 0; n < inputShape.dim(0); n++) {
            for (int c = 0; c < inputShape.dim(1); c++) {
                double share = gs.get(n, c, 0, 0) / area;
                for (int k = 0; k < area; k++) {
                    dx.storage().set(index++, share);
                }
            }
        }
        return dx;
    }

    private static Tensor tensorOf(double[] values, DType dtype, Shape shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        for (int i = 0; i < values.length; i++) {
            t.storage().set(i, values[i]);
        }
        return t;
    }

    /**
     * The rows (or columns) {@code start .. end-1} of window {@code i} that lie inside an axis of
     * {@code size}, and {@code paddedCount}, how many lie inside the padded axis {@code [-padding, size + padding)}.
     */
    record Range(int start, int end, int paddedCount) {
        /** The rows of window row {@code i} in an image of {@code height} rows. */
        static Range rows(ConvGeometry window, int i, int height) {
            return of(i, window.strideHeight(), window.paddingHeight(), window.kernelHeight(), height);
        }

        /** The columns of window column {@code j} in an image of {@code width} columns. */
        static Range columns(ConvGeometry window, int j, int width) {
            return of(j, window.strideWidth(), window.paddingWidth(), window.kernelWidth(), width);
        }

        private static Range of(int i, int stride, int padding, int kernel, int size) {
            int first = i * stride - padding;
            int paddedEnd = Math.min(first + kernel, size + padding);
            return new Range(Math.max(first, 0), Math.min(first + kernel, size), paddedEnd - first);
        }
    }

    /** Reads a 4-D tensor through its strides, in double. */
    private static final class Planes {
        private final Storage storage;
        private final int offset;
        private final int[] strides;
        final int height;
        final int width;

        Planes(Tensor t) {
            storage = t.storage();
            offset = t.offset();
            strides = t.strides();
            height = t.dim(2);
            width = t.dim(3);
        }

        double get(int n, int c, int y, int z) {
            return storage.get(offset + n * strides[0] + c * strides[1] + y * strides[2] + z * strides[3]);
        }
    }
}

package vista.tensor.kernels;

import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Storage;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.runtime.Kernels;

/**
 * The scalar reference of 2-D convolution (cross-correlation, as in PyTorch: the kernel is not flipped),
 * in double precision. With {@code Cg = C_in / groups} input and {@code Og = C_out / groups} output
 * channels per group, output channel {@code o} in group {@code g = o / Og}:
 * <pre>
 *   out[n, o, i, j] = bias[o] + sum over c < Cg, u < kH, v < kW of
 *                     w[o, c, u, v] * x[n, g Cg + c, i sH - pH + u dH, j sW - pW + v dW]
 * </pre>
 * with {@code x = 0} outside the image. The backward passes follow the chain rule term by term: each
 * product {@code w * x} in the sum above sends {@code g_out * x} to {@code dL/dw} and
 * {@code g_out * w} to {@code dL/dx}, where {@code g_out = dL/dout[n, o, i, j]}; and
 * {@code dL/dbias[o] = sum over n, i, j of g_out}.
 *
 * <p>Sums accumulate in a double in the loop order written, and are rounded once to the tensor's dtype.
 * Operands may be any views (read through their strides) of one dtype; shapes are checked by
 * {@link ConvolutionKernels}. This serves float64 tensors (gradient checking), float32 tensors when
 * {@link Kernels#FAST} is false, and is the oracle of {@link ConvolutionFast}'s tests.
 */
public final class ConvolutionReference {
    private ConvolutionReference() {
    }

    /** {@code out = conv(x, w) + bias} ({@code bias} may be null). */
    public static Tensor forward(Tensor x, Tensor w, Tensor bias, ConvGeometry geometry) {
        return forward(x, w, geometry, new ConvolutionEpilogue(bias, null, false));
    }

    /**
     * {@code out = relu(conv(x, w) + bias + residual)}, each part of the {@link ConvolutionEpilogue}
     * optional: the sum, the bias and the residual in one double, the ReLU ({@code v <= 0 ? 0 : v}) on it,
     * then one rounding.
     */
    public static Tensor forward(Tensor x, Tensor w, ConvGeometry geometry, ConvolutionEpilogue epilogue) {
        Tensor bias = epilogue.bias();
        Shape outShape = geometry.outputShape(x.shape());
        Tensor out = Tensor.zeros(x.dtype(), outShape);
        Window win = new Window(geometry, x.shape(), outShape);
        Strided xs = new Strided(x);
        Strided ws = new Strided(w);
        Strided bs = bias == null ? null : new Strided(bias);
        Strided rs = epilogue.residual() == null ? null : new Strided(epilogue.residual());
        int index = 0;
        for (int n = 0; n < win.batch; n++) {
            for (int o = 0; o < win.outChannels; o++) {
                int group = o / win.outPerGroup;
                for (int i = 0; i < win.outHeight; i++) {
                    for (int j = 0; j < win.outWidth; j++) {
                        double sum = bs == null ? 0 : bs.get(o);
                        for (int c = 0; c < win.inPerGroup; c++) {
                            for (int u = 0; u < win.kernelHeight; u++) {
                                int row = win.row(i, u);
                                for (int v = 0; v < win.kernelWidth; v++) {
                                    int col = win.column(j, v);
                                    if (win.inside(row, col)) {
                                        sum += ws.get(o, c, u, v) * xs.get(n, group * win.inPerGroup + c, row, col);
                                    }
                                }
                            }
                        }
                        if (rs != null) {
                            sum += rs.get(n, o, i, j);
                        }
                        if (epilogue.relu() && sum <= 0) {
                            sum = 0;
                        }
                        out.storage().set(index++, sum);
                    }
                }
            }
        }
        return out;
    }

    /** {@code dL/dx} of shape {@code inputShape}, from {@code gradOutput = dL/dout} and the weight. */
    public static Tensor backwardInput(Tensor gradOutput, Tensor w, Shape inputShape, ConvGeometry geometry) {
        Window win = new Window(geometry, inputShape, gradOutput.shape());
        Strided gs = new Strided(gradOutput);
        Strided ws = new Strided(w);
        double[] dx = new double[inputShape.numel()];
        for (int n = 0; n < win.batch; n++) {
            for (int o = 0; o < win.outChannels; o++) {
                int group = o / win.outPerGroup;
                for (int i = 0; i < win.outHeight; i++) {
                    for (int j = 0; j < win.outWidth; j++) {
                        double g = gs.get(n, o, i, j);
                        for (int c = 0; c < win.inPerGroup; c++) {
                            for (int u = 0; u < win.kernelHeight; u++) {
                                int row = win.row(i, u);
                                for (int v = 0; v < win.kernelWidth; v++) {
                                    int col = win.column(j, v);
                                    if (win.inside(row, col)) {
                                        int xIndex = win.inputIndex(n, group * win.inPerGroup + c, row, col);
                                        dx[xIndex] += g * ws.get(o, c, u, v);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return tensorOf(dx, gradOutput.dtype(), inputShape);
    }

    /** {@code dL/dw} of the weight's shape, from {@code gradOutput = dL/dout} and the input. */
    public static Tensor backwardWeight(Tensor gradOutput, Tensor x, ConvGeometry geometry) {
        Window win = new Window(geometry, x.shape(), gradOutput.shape());
        Strided gs = new Strided(gradOutput);
        Strided xs = new Strided(x);
        Shape weightShape = geometry.weightShape();
        double[] dw = new double[weightShape.numel()];
        for (int n = 0; n < win.batch; n++) {
            for (int o = 0; o < win.outChannels; o++) {
                int group = o / win.outPerGroup;
                for (int i = 0; i < win.outHeight; i++) {
                    for (int j = 0; j < win.outWidth; j++) {
                        double g = gs.get(n, o, i, j);
                        for (int c = 0; c < win.inPerGroup; c++) {
                            for (int u = 0; u < win.kernelHeight; u++) {
                                int row = win.row(i, u);
                                for (int v = 0; v < win.kernelWidth; v++) {
                                    int col = win.column(j, v);
                                    if (win.inside(row, col)) {
                                        int wIndex = win.weightIndex(o, c, u, v);
                                        dw[wIndex] += g * xs.get(n, group * win.inPerGroup + c, row, col);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return tensorOf(dw, gradOutput.dtype(), weightShape);
    }

    /** {@code dL/dbias[o] = sum over n, i, j of gradOutput[n, o, i, j]}. */
    public static Tensor backwardBias(Tensor gradOutput) {
        Strided gs = new Strided(gradOutput);
        int channels = gradOutput.dim(1);
        double[] db = new double[channels];
        for (int n = 0; n < gradOutput.dim(0); n++) {
            for (int o = 0; o < channels; o++) {
                for (int i = 0; i < gradOutput.dim(2); i++) {
                    for (int j = 0; j < gradOutput.dim(3); j++) {
                        db[o] += gs.get(n, o, i, j);
                    }
                }
            }
        }
        return tensorOf(db, gradOutput.dtype(), Shape.of(channels));
    }

    private static Tensor tensorOf(double[] values, DType dtype, Shape shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        for (int i = 0; i < values.length; i++) {
            t.storage().set(i, values[i]);
        }
        return t;
    }

    /** The sizes of one convolution, and where kernel tap {@code (u, v)} of output {@code (i, j)} reads. */
    private static final class Window {
        final int batch;
        final int inHeight;
        final int inWidth;
        final int inChannels;
        final int outChannels;
        final int outHeight;
        final int outWidth;
        final int inPerGroup;
        final int outPerGroup;
        final int kernelHeight;
        final int kernelWidth;
        final ConvGeometry g;

        Window(ConvGeometry g, Shape input, Shape output) {
            this.g = g;
            batch = input.dim(0);
            inChannels = input.dim(1);
            inHeight = input.dim(2);
            inWidth = input.dim(3);
            outChannels = output.dim(1);
            outHeight = output.dim(2);
            outWidth = output.dim(3);
            inPerGroup = g.inChannelsPerGroup();
            outPerGroup = g.outChannelsPerGroup();
            kernelHeight = g.kernelHeight();
            kernelWidth = g.kernelWidth();
        }

        int row(int i, int u) {
            return i * g.strideHeight() - g.paddingHeight() + u * g.dilationHeight();
        }

        int column(int j, int v) {
            return j * g.strideWidth() - g.paddingWidth() + v * g.dilationWidth();
        }

        boolean inside(int row, int column) {
            return row >= 0 && row < inHeight && column >= 0 && column < inWidth;
        }

        int inputIndex(int n, int c, int row, int column) {
            return ((n * inChannels + c) * inHeight + row) * inWidth + column;
        }

        int weightIndex(int o, int c, int u, int v) {
            return ((o * inPerGroup + c) * kernelHeight + u) * kernelWidth + v;
        }
    }

    /** Reads a tensor of rank 1 or 4 through its strides, in double. */
    private static final class Strided {
        private final Storage storage;
        private final int offset;
        private final int[] strides;

        Strided(Tensor t) {
            storage = t.storage();
            offset = t.offset();
            strides = t.strides();
        }

        double get(int index) {
            return storage.get(offset + index * strides[0]);
        }

        double get(int a, int b, int c, int d) {
            return storage.get(offset + a * strides[0] + b * strides[1] + c * strides[2] + d * strides[3]);
        }
    }
}

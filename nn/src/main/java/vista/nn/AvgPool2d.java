package vista.nn;

import vista.autograd.Complexity;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.tensor.Shape;
import vista.tensor.geometry.ConvGeometry;

/**
 * Average pooling (PyTorch's {@code nn.AvgPool2d}, ceil_mode false): each output is the sum of its
 * {@code kH x kW} window (padding counting as zeros) divided by {@code kH kW} when
 * {@code countIncludePad} (PyTorch's default), else by the number of the window's cells inside the image.
 * No parameters. Formulas: {@link vista.autograd.functions.AveragePooling}.
 */
public final class AvgPool2d extends Module implements Complexity {
    private final ConvGeometry window;
    private final boolean countIncludePad;

    /** A {@code kernel x kernel} window with stride = kernel and no padding (PyTorch's defaults). */
    public AvgPool2d(int kernel) {
        this(ConvGeometry.pooling("AvgPool2d", kernel).build(), true);
    }

    /** A {@code kernel x kernel} window; padding counts in the divisor. */
    public AvgPool2d(int kernel, int stride, int padding) {
        this(kernel, stride, padding, true);
    }

    /** A {@code kernel x kernel} window; {@code countIncludePad} false divides by the cells inside the image. */
    public AvgPool2d(int kernel, int stride, int padding, boolean countIncludePad) {
        this(ConvGeometry.pooling("AvgPool2d", kernel).stride(stride).padding(padding).build(), countIncludePad);
    }

    /** Any pooling window (rectangular kernels, strides or padding). */
    public AvgPool2d(ConvGeometry window, boolean countIncludePad) {
        if (window.isConvolution()) {
            throw new IllegalArgumentException("AvgPool2d: " + window + " is a convolution, not a pooling window");
        }
        this.window = window;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Variable forward(Variable input) {
        return Ledger.record(this, input,
                vista.autograd.functions.AveragePooling.apply(input, window, countIncludePad));
    }

    /** Other ops only, one per window cell per output value: {@code kH kW} per output. */
    @Override
    public Cost cost(Shape input, Shape output) {
        return Cost.otherOps((long) output.numel() * window.kernelHeight() * window.kernelWidth());
    }

    public ConvGeometry window() {
        return window;
    }

    public boolean countIncludePad() {
        return countIncludePad;
    }

    /** E.g. {@code AvgPool2d(k=3, s=2, p=1)}, with {@code , count_include_pad=false} when so. */
    @Override
    public String toString() {
        String w = window.toString();
        return countIncludePad ? w : w.substring(0, w.length() - 1) + ", count_include_pad=false)";
    }
}

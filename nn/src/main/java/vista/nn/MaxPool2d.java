package vista.nn;

import vista.autograd.Complexity;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.tensor.Shape;
import vista.tensor.geometry.ConvGeometry;

/**
 * Max pooling (PyTorch's {@code nn.MaxPool2d}, dilation 1, ceil_mode false): each output is the maximum
 * of its {@code kH x kW} window, padding counting as minus infinity; the gradient goes to the window's
 * maximum (the first on ties). No parameters. Formulas: {@link vista.autograd.functions.MaxPooling}.
 */
public final class MaxPool2d extends Module implements Complexity {
    private final ConvGeometry window;

    /** A {@code kernel x kernel} window with stride = kernel and no padding (PyTorch's defaults). */
    public MaxPool2d(int kernel) {
        this(ConvGeometry.pooling("MaxPool2d", kernel).build());
    }

    /** A {@code kernel x kernel} window, e.g. {@code new MaxPool2d(3, 2, 1)} for ResNet's stem. */
    public MaxPool2d(int kernel, int stride, int padding) {
        this(ConvGeometry.pooling("MaxPool2d", kernel).stride(stride).padding(padding).build());
    }

    /** Any pooling window (rectangular kernels, strides or padding). */
    public MaxPool2d(ConvGeometry window) {
        if (window.isConvolution()) {
            throw new IllegalArgumentException("MaxPool2d: " + window + " is a convolution, not a pooling window");
        }
        this.window = window;
    }

    @Override
    public Variable forward(Variable input) {
        return Ledger.record(this, input, vista.autograd.functions.MaxPooling.apply(input, window));
    }

    /** Other ops only, one per window cell per output value: {@code kH kW} per output. */
    @Override
    public Cost cost(Shape input, Shape output) {
        return Cost.otherOps((long) output.numel() * window.kernelHeight() * window.kernelWidth());
    }

    public ConvGeometry window() {
        return window;
    }

    /** E.g. {@code MaxPool2d(k=3, s=2, p=1)}. */
    @Override
    public String toString() {
        return window.toString();
    }
}

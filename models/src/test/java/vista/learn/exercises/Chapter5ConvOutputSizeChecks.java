package vista.learn.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.kernels.ConvolutionKernels;

/**
 * The checks of the convolution output-size exercise: hand-worked cases of the ResNets Vista trains, and
 * the shape the reference convolution kernel actually produces.
 */
abstract class Chapter5ConvOutputSizeChecks {
    abstract ConvOutputSize conv();

    @Test
    void theResNetLayersGiveTheirKnownSizes() {
        assertEquals(28, conv().outputSize(28, 3, 1, 1, 1), "3x3 'same' convolution on Fashion-MNIST");
        assertEquals(14, conv().outputSize(28, 3, 2, 1, 1), "3x3 stride-2 convolution halves 28");
        assertEquals(112, conv().outputSize(224, 7, 2, 3, 1), "the ImageNet stem: 7x7, stride 2, padding 3");
        assertEquals(14, conv().outputSize(28, 1, 2, 0, 1), "the 1x1 stride-2 shortcut");
        assertEquals(13, conv().outputSize(28, 3, 2, 0, 1), "no padding: (28 - 3) / 2 rounds down, + 1");
        assertEquals(24, conv().outputSize(28, 3, 1, 0, 2), "dilation 2: a 3-tap kernel spans 5 pixels");
        assertEquals(0, conv().outputSize(2, 3, 1, 0, 1), "a kernel longer than the axis fits nowhere");
    }

    @Test
    void matchesTheShapeTheConvolutionKernelProduces() {
        for (int input = 3; input <= 9; input += 3) {
            for (int kernel = 1; kernel <= 3; kernel++) {
                for (int stride = 1; stride <= 3; stride++) {
                    for (int padding = 0; padding <= 2; padding++) {
                        for (int dilation = 1; dilation <= 2; dilation++) {
                            int expected = producedSize(input, kernel, stride, padding, dilation);
                            assertEquals(expected, conv().outputSize(input, kernel, stride, padding, dilation),
                                    "input " + input + ", kernel " + kernel + ", stride " + stride + ", padding "
                                            + padding + ", dilation " + dilation);
                        }
                    }
                }
            }
        }
    }

    /** The height of what the float64 reference convolution returns for a 1-channel image of that size. */
    private static int producedSize(int input, int kernel, int stride, int padding, int dilation) {
        ConvGeometry geometry = ConvGeometry.convolution(1, 1, kernel).stride(stride).padding(padding)
                .dilation(dilation).build();
        if (geometry.outputHeight(input) < 1) {
            return geometry.outputHeight(input);
        }
        Tensor x = Tensor.zeros(DType.FLOAT64, Shape.of(1, 1, input, input));
        Tensor w = Tensor.zeros(DType.FLOAT64, Shape.of(1, 1, kernel, kernel));
        return ConvolutionKernels.forward(x, w, null, geometry).dim(2);
    }
}

package vista.learn.exercises;

import vista.tensor.geometry.ConvGeometry;

/** The output-size checks passing on Vista's own {@link ConvGeometry#outputHeight}: the checks are right. */
class Chapter5ConvOutputSizeSolutionTest extends Chapter5ConvOutputSizeChecks {
    @Override
    ConvOutputSize conv() {
        return (input, kernel, stride, padding, dilation) -> ConvGeometry.convolution(1, 1, kernel).stride(stride)
                .padding(padding).dilation(dilation).build().outputHeight(input);
    }
}

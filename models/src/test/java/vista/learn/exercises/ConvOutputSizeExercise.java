package vista.learn.exercises;

/**
 * Exercise, chapter 5 (docs/learn/05-convolution.md): the output size of a convolution.
 *
 * <p>A kernel of k taps with dilation d spans {@code d (k - 1) + 1} pixels. The padded axis has
 * {@code in + 2 p} pixels. Count the start positions 0, s, 2s, ... at which the whole span still fits.
 * Mind the rounding: what should 28 pixels, k = 3, stride 2, padding 0 give? And what if the span is
 * longer than the padded axis? Vista's answer is {@code ConvGeometry.outputHeight} in
 * {@code tensor/src/main/java/vista/tensor/geometry/ConvGeometry.java}.
 *
 * <p>Check your answer with {@code ./vista learn --check 5}.
 */
public final class ConvOutputSizeExercise implements ConvOutputSize {
    @Override
    public int outputSize(int input, int kernel, int stride, int padding, int dilation) {
        throw new UnsupportedOperationException("your code here");
    }
}

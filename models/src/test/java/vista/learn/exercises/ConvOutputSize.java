package vista.learn.exercises;

/** The output size of a convolution along one spatial axis. */
interface ConvOutputSize {
    /**
     * How many positions a kernel of {@code kernel} taps, {@code dilation} apart, finds along an axis of
     * {@code input} pixels padded by {@code padding} on each side, moving {@code stride} at a time (may be
     * 0 or less when the padded input is shorter than the dilated kernel).
     */
    int outputSize(int input, int kernel, int stride, int padding, int dilation);
}

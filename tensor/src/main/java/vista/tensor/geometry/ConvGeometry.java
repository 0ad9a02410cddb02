package vista.tensor.geometry;

import vista.tensor.Shape;

/**
 * The validated sizes of a 2-D sliding window: a convolution's channels, kernel, stride, padding,
 * dilation and groups, or a pooling window's kernel, stride and padding. Immutable.
 *
 * <p>Output size, per spatial axis (PyTorch's formula with {@code ceil_mode} false):
 * <pre>
 *   out = floor((in + 2 padding - dilation (kernel - 1) - 1) / stride) + 1
 * </pre>
 * Output position {@code i} reads input positions {@code i stride - padding + u dilation} for
 * {@code u = 0 .. kernel-1}; positions outside {@code [0, in)} are padding.
 *
 * <p>A convolution knows its channels: {@code inChannels} and {@code outChannels} must both be divisible
 * by {@code groups}, and output channel {@code o} reads the input channels of group
 * {@code o / (outChannels / groups)}. Its weight has shape {@code (outChannels, inChannels / groups,
 * kernelHeight, kernelWidth)}, as in PyTorch. A pooling window works on any number of channels, has
 * dilation 1 and one group, its stride defaults to the kernel size (PyTorch's default), and its padding
 * may be at most half the kernel (PyTorch's rule, which makes every window overlap the image).
 *
 * <p>Errors are sentences that name the layer as {@link #toString()} prints it, for example
 * {@code Conv2d(64->128, k=3): expected input with 64 channels, got [8, 32, 28, 28]}.
 */
public final class ConvGeometry {
    private final String layer;
    private final boolean convolution;
    private final int inChannels;
    private final int outChannels;
    private final int kernelHeight;
    private final int kernelWidth;
    private final int strideHeight;
    private final int strideWidth;
    private final int paddingHeight;
    private final int paddingWidth;
    private final int dilationHeight;
    private final int dilationWidth;
    private final int groups;

    private ConvGeometry(Builder b) {
        this.layer = b.layer;
        this.convolution = b.convolution;
        this.inChannels = b.inChannels;
        this.outChannels = b.outChannels;
        this.kernelHeight = b.kernelHeight;
        this.kernelWidth = b.kernelWidth;
        this.strideHeight = b.strideHeight;
        this.strideWidth = b.strideWidth;
        this.paddingHeight = b.paddingHeight;
        this.paddingWidth = b.paddingWidth;
        this.dilationHeight = b.dilationHeight;
        this.dilationWidth = b.dilationWidth;
        this.groups = b.groups;
    }

    /** A convolution from {@code inChannels} to {@code outChannels} with a square kernel; stride 1, no padding. */
    public static Builder convolution(int inChannels, int outChannels, int kernel) {
        return convolution(inChannels, outChannels, kernel, kernel);
    }

    /** A convolution with a {@code kernelHeight x kernelWidth} kernel; stride 1, no padding, dilation 1, one group. */
    public static Builder convolution(int inChannels, int outChannels, int kernelHeight, int kernelWidth) {
        Builder b = new Builder("Conv2d", true, kernelHeight, kernelWidth);
        b.inChannels = inChannels;
        b.outChannels = outChannels;
        return b;
    }

    /**
     * A pooling window named {@code layer} (for messages, e.g. {@code "MaxPool2d"}) with a square kernel;
     * stride = kernel, no padding.
     */
    public static Builder pooling(String layer, int kernel) {
        return pooling(layer, kernel, kernel);
    }

    /** A pooling window of {@code kernelHeight x kernelWidth}; stride = kernel, no padding. */
    public static Builder pooling(String layer, int kernelHeight, int kernelWidth) {
        Builder b = new Builder(layer, false, kernelHeight, kernelWidth);
        b.strideHeight = kernelHeight;
        b.strideWidth = kernelWidth;
        return b;
    }

    /** Collects the optional settings, then {@link #build()} validates them all. */
    public static final class Builder {
        private final String layer;
        private final boolean convolution;
        private final int kernelHeight;
        private final int kernelWidth;
        private int inChannels;
        private int outChannels;
        private int strideHeight = 1;
        private int strideWidth = 1;
        private int paddingHeight;
        private int paddingWidth;
        private int dilationHeight = 1;
        private int dilationWidth = 1;
        private int groups = 1;

        private Builder(String layer, boolean convolution, int kernelHeight, int kernelWidth) {
            this.layer = layer;
            this.convolution = convolution;
            this.kernelHeight = kernelHeight;
            this.kernelWidth = kernelWidth;
        }

        public Builder stride(int stride) {
            return stride(stride, stride);
        }

        public Builder stride(int height, int width) {
            strideHeight = height;
            strideWidth = width;
            return this;
        }

        public Builder padding(int padding) {
            return padding(padding, padding);
        }

        public Builder padding(int height, int width) {
            paddingHeight = height;
            paddingWidth = width;
            return this;
        }

        public Builder dilation(int dilation) {
            return dilation(dilation, dilation);
        }

        public Builder dilation(int height, int width) {
            dilationHeight = height;
            dilationWidth = width;
            return this;
        }

        public Builder groups(int groups) {
            this.groups = groups;
            return this;
        }

        /**
         * The geometry, after checking every setting.
         *
         * @throws IllegalArgumentException naming the layer and the offending setting
         */
        public ConvGeometry build() {
            ConvGeometry g = new ConvGeometry(this);
            g.validate();
            return g;
        }
    }

    private void validate() {
        if (convolution) {
            require(inChannels >= 1 && outChannels >= 1, "channels must be at least 1, got " + inChannels
                    + " input and " + outChannels + " output channels");
        }
        require(kernelHeight >= 1 && kernelWidth >= 1, "the kernel must be at least 1 x 1, got "
                + kernelHeight + " x " + kernelWidth);
        require(strideHeight >= 1 && strideWidth >= 1, "the stride must be at least 1, got "
                + strideHeight + " x " + strideWidth);
        require(paddingHeight >= 0 && paddingWidth >= 0, "the padding must not be negative, got "
                + paddingHeight + " x " + paddingWidth);
        require(dilationHeight >= 1 && dilationWidth >= 1, "the dilation must be at least 1, got "
                + dilationHeight + " x " + dilationWidth);
        require(groups >= 1, "groups must be at least 1, got " + groups);
        if (convolution) {
            require(inChannels % groups == 0,
                    "input channels " + inChannels + " are not divisible by groups " + groups);
            require(outChannels % groups == 0,
                    "output channels " + outChannels + " are not divisible by groups " + groups);
        } else {
            require(dilationHeight == 1 && dilationWidth == 1, "pooling supports dilation 1 only, got "
                    + dilationHeight + " x " + dilationWidth);
            require(groups == 1, "pooling has no groups, got " + groups);
            require(2 * paddingHeight <= kernelHeight && 2 * paddingWidth <= kernelWidth, "the padding "
                    + paddingHeight + " x " + paddingWidth + " must be at most half the kernel " + kernelHeight
                    + " x " + kernelWidth + ", so that every window overlaps the image");
        }
    }

    private void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(this + ": " + problem);
        }
    }

    // ---------------------------------------------------------------- sizes

    /**
     * {@code floor((height + 2 paddingHeight - dilationHeight (kernelHeight - 1) - 1) / strideHeight) + 1};
     * may be less than 1.
     */
    public int outputHeight(int height) {
        return outputSize(height, kernelHeight, strideHeight, paddingHeight, dilationHeight);
    }

    /** As {@link #outputHeight} along the width. */
    public int outputWidth(int width) {
        return outputSize(width, kernelWidth, strideWidth, paddingWidth, dilationWidth);
    }

    private static int outputSize(int in, int kernel, int stride, int padding, int dilation) {
        return Math.floorDiv(in + 2 * padding - dilation * (kernel - 1) - 1, stride) + 1;
    }

    /**
     * The output shape {@code (N, C_out, H_out, W_out)} for an input {@code (N, C_in, H, W)} (a pooling
     * window keeps the channels).
     *
     * @throws IllegalArgumentException if the input is not 4-D, has the wrong number of channels, or is
     *     too small to give an output of at least 1 x 1
     */
    public Shape outputShape(Shape input) {
        if (input.rank() != 4) {
            throw new IllegalArgumentException(this + ": expected a 4-D input (N, C, H, W), got " + input);
        }
        if (convolution && input.dim(1) != inChannels) {
            throw new IllegalArgumentException(this + ": expected input with " + inChannels + " channels, got "
                    + input);
        }
        int height = outputHeight(input.dim(2));
        int width = outputWidth(input.dim(3));
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(this + ": input " + input + " is too small: the output would be "
                    + height + " x " + width + " (each output size is (size + 2 padding - dilation (kernel - 1) - 1)"
                    + " / stride + 1, rounded down)");
        }
        return Shape.of(input.dim(0), convolution ? outChannels : input.dim(1), height, width);
    }

    /** The weight shape of a convolution: {@code (outChannels, inChannels / groups, kernelHeight, kernelWidth)}. */
    public Shape weightShape() {
        requireConvolution("weightShape");
        return Shape.of(outChannels, inChannels / groups, kernelHeight, kernelWidth);
    }

    /** Checks a convolution's weight shape (and, unless null, its bias shape {@code (outChannels)}). */
    public void checkParameters(Shape weight, Shape bias) {
        requireConvolution("checkParameters");
        if (!weight.equals(weightShape())) {
            throw new IllegalArgumentException(this + ": expected a weight of shape " + weightShape()
                    + " (out, in / groups, kernel height, kernel width), got " + weight);
        }
        if (bias != null && !bias.equals(Shape.of(outChannels))) {
            throw new IllegalArgumentException(this + ": expected a bias of shape [" + outChannels + "], got " + bias);
        }
    }

    /** Checks that a gradient of the output has the output shape for {@code input}. */
    public void checkGradOutput(Shape gradOutput, Shape input) {
        Shape expected = outputShape(input);
        if (!gradOutput.equals(expected)) {
            throw new IllegalArgumentException(this + ": expected an output gradient of shape " + expected
                    + " for input " + input + ", got " + gradOutput);
        }
    }

    private void requireConvolution(String what) {
        if (!convolution) {
            throw new IllegalStateException(this + ": " + what + " applies to convolutions only");
        }
    }

    // ---------------------------------------------------------------- accessors

    /** The layer's name, e.g. {@code Conv2d} or {@code MaxPool2d}. */
    public String layer() {
        return layer;
    }

    /** True for a convolution (channels known), false for a pooling window. */
    public boolean isConvolution() {
        return convolution;
    }

    /** Input channels of a convolution (0 for pooling). */
    public int inChannels() {
        return inChannels;
    }

    /** Output channels of a convolution (0 for pooling). */
    public int outChannels() {
        return outChannels;
    }

    /** Input channels each output channel reads: {@code inChannels / groups}. */
    public int inChannelsPerGroup() {
        return inChannels / groups;
    }

    /** Output channels per group: {@code outChannels / groups}. */
    public int outChannelsPerGroup() {
        return outChannels / groups;
    }

    public int kernelHeight() {
        return kernelHeight;
    }

    public int kernelWidth() {
        return kernelWidth;
    }

    public int strideHeight() {
        return strideHeight;
    }

    public int strideWidth() {
        return strideWidth;
    }

    public int paddingHeight() {
        return paddingHeight;
    }

    public int paddingWidth() {
        return paddingWidth;
    }

    public int dilationHeight() {
        return dilationHeight;
    }

    public int dilationWidth() {
        return dilationWidth;
    }

    public int groups() {
        return groups;
    }

    /**
     * The layer as people write it: {@code Conv2d(64->128, k=3, s=2, p=1)}, settings at their default
     * (stride 1, padding 0, dilation 1, one group) left out, rectangular ones as {@code k=3x5};
     * {@code MaxPool2d(k=3, s=2, p=1)} for a pooling window (stride shown unless it equals the kernel).
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(layer).append('(');
        if (convolution) {
            sb.append(inChannels).append("->").append(outChannels).append(", ");
        }
        sb.append("k=").append(pair(kernelHeight, kernelWidth));
        boolean defaultStride = convolution
                ? strideHeight == 1 && strideWidth == 1
                : strideHeight == kernelHeight && strideWidth == kernelWidth;
        if (!defaultStride) {
            sb.append(", s=").append(pair(strideHeight, strideWidth));
        }
        if (paddingHeight != 0 || paddingWidth != 0) {
            sb.append(", p=").append(pair(paddingHeight, paddingWidth));
        }
        if (dilationHeight != 1 || dilationWidth != 1) {
            sb.append(", d=").append(pair(dilationHeight, dilationWidth));
        }
        if (groups != 1) {
            sb.append(", g=").append(groups);
        }
        return sb.append(')').toString();
    }

    private static String pair(int height, int width) {
        return height == width ? String.valueOf(height) : height + "x" + width;
    }
}

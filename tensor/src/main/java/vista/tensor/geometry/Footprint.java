package vista.tensor.geometry;

import vista.tensor.Shape;

/**
 * The neighbourhood ("footprint") of SAN's local operators ({@link Aggregation}, {@link Subtraction},
 * {@link Neighbourhood}; Zhao, Jia and Koltun 2020), with the geometry of the official CUDA kernels
 * (github hszhao/SAN, lib/sa):
 * <pre>
 *   pad    = (d (k - 1) + 1) / 2            (integer division; = d (k - 1) / 2 for odd k)
 *   H_out  = (H + 2 pad - (d (k - 1) + 1)) / s + 1           (= ceil(H / s) for odd k)
 *   neighbour (a, b) of output pixel (i, j) reads input (i s - pad + a d,  j s - pad + b d)
 *   its centre is input (i s, j s)
 * </pre>
 * for footprint side k, stride s and dilation d. The {@code K = k*k} neighbours are numbered
 * {@code a k + b}, and the {@code L = H_out W_out} output pixels {@code i W_out + j}.
 *
 * <p>Where a neighbour falls outside the image, {@link Padding} decides what it reads. Reflection
 * bounces once off the border, as PyTorch's {@code ReflectionPad2d} (and the SAN models) do, so it
 * needs {@code pad < H} and {@code pad < W}; {@link #checkFits} rejects smaller inputs with a sentence
 * rather than reading the wrong pixels.
 *
 * @param size     the footprint side k, odd and positive (the centre is its middle)
 * @param stride   s, at least 1
 * @param dilation d, at least 1: neighbours are d pixels apart
 * @param padding  what a neighbour outside the image reads
 */
public record Footprint(int size, int stride, int dilation, Padding padding) {
    /** What a neighbour outside the image reads. */
    public enum Padding {
        /** The pixel mirrored at the border, not repeating the border pixel ({@code -1 -> 1}); SAN's choice. */
        REFLECT,
        /** Zero; such neighbours add nothing and receive no gradient. */
        ZERO
    }

    public Footprint {
        if (size < 1 || size % 2 == 0) {
            throw new IllegalArgumentException("SAN footprint: the size must be odd and positive (its centre is"
                    + " the output pixel), got " + size);
        }
        if (stride < 1 || dilation < 1) {
            throw new IllegalArgumentException("SAN footprint: stride and dilation must be at least 1, got stride "
                    + stride + " and dilation " + dilation);
        }
        if (padding == null) {
            throw new IllegalArgumentException("SAN footprint: the padding must be REFLECT or ZERO, got null");
        }
    }

    /** A k x k footprint with stride 1, dilation 1 and reflection padding: what the SAN models use. */
    public static Footprint of(int size) {
        return new Footprint(size, 1, 1, Padding.REFLECT);
    }

    /** {@code K = k*k}, the number of neighbours of an output pixel. */
    public int neighbours() {
        return size * size;
    }

    /** The padding on each side, {@code (d (k - 1) + 1) / 2}. */
    public int pad() {
        return (dilation * (size - 1) + 1) / 2;
    }

    /** The output side for an input side {@code inputSize}: {@code (in + 2 pad - (d (k - 1) + 1)) / s + 1}. */
    public int outputSize(int inputSize) {
        return (inputSize + 2 * pad() - (dilation * (size - 1) + 1)) / stride + 1;
    }

    /**
     * The input index that neighbour {@code offset} of output index {@code out} reads along an axis of
     * {@code inputSize} pixels, or -1 if it lies outside and the padding is zero.
     */
    public int source(int out, int offset, int inputSize) {
        int p = out * stride - pad() + offset * dilation;
        if (p >= 0 && p < inputSize) {
            return p;
        }
        if (padding == Padding.ZERO) {
            return -1;
        }
        return p < 0 ? -p : 2 * (inputSize - 1) - p;
    }

    /**
     * Checks that an input of shape {@code (N, C, H, W)} suits this footprint: rank 4, and, under
     * reflection, {@code pad < H} and {@code pad < W}.
     *
     * @param who names the caller in the message, e.g. {@code "SAN aggregation"} or a layer's description
     */
    public void checkFits(Shape input, String who) {
        if (input.rank() != 4) {
            throw new IllegalArgumentException(who + ": expected a 4-D input (N, C, H, W), got " + input);
        }
        int h = input.dim(2);
        int w = input.dim(3);
        if (padding == Padding.REFLECT && (pad() >= h || pad() >= w)) {
            throw new IllegalArgumentException(who + ": a " + this + " reflects " + pad() + " pixels at each border,"
                    + " which needs an input larger than " + pad() + "x" + pad() + ", got " + h + "x" + w
                    + " (" + input + "); use a smaller footprint or dilation, zero padding, or a larger feature map");
        }
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException(who + ": the input has no pixels, got " + input);
        }
    }

    /** The shape {@code (N, C, K, H_out W_out)} of one value per neighbour for an input of shape {@code input}. */
    public Shape neighbourShape(Shape input, int channels) {
        return Shape.of(input.dim(0), channels, neighbours(), outputSize(input.dim(2)) * outputSize(input.dim(3)));
    }

    @Override
    public String toString() {
        return "footprint " + size + "x" + size + (stride == 1 ? "" : " stride " + stride)
                + (dilation == 1 ? "" : " dilation " + dilation) + " with "
                + (padding == Padding.REFLECT ? "reflection" : "zero") + " padding";
    }
}

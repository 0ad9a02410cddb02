package vista.data;

/**
 * Geometry for image folders: resizing so the shorter side has a given length, resizing a window of a
 * float image, and centre cropping. Byte images are unsigned bytes in CHW order.
 *
 * <p><b>Weights.</b> Bilinear interpolation in the form Pillow uses ({@code Image.resize(size,
 * Image.BILINEAR)}, and so torchvision's {@code Resize} on PIL images): output pixel {@code i} of a side
 * scaled by {@code s = in / out} is centred at {@code c = (i + 0.5) * s} in input coordinates and is a
 * weighted mean of the input pixels {@code x} from {@code (int) (c - f + 0.5)} (at least 0) to
 * {@code (int) (c + f + 0.5)} (at most {@code in}, exclusive), {@code f = max(s, 1)}, with triangle weights
 * {@code max(0, 1 - |x - c + 0.5| / f)} normalised to sum 1 (in double). When enlarging ({@code f = 1})
 * this is plain bilinear interpolation with pixel centres at half-integers and edges clamped; when
 * shrinking the triangle widens to cover every input pixel (antialiasing).
 *
 * <p><b>Bytes, as Pillow computes them.</b> {@link #resize} works in Pillow's fixed point
 * ({@code ImagingResample} for 8-bit images): each weight becomes {@code (int) (w * 2^22 + 0.5)}; a pass
 * sums {@code 2^21 + sum(k * pixel)} in 32-bit integers and keeps {@code sum >> 22} clamped to 0..255.
 * The horizontal pass runs first (only if the width changes) into an 8-bit intermediate, then the
 * vertical pass (only if the height changes). Measured with bench/compare/pil_resize.py against Pillow
 * 12.3 on synthetic RGB images (gradients, sharp edges, noise; shrinking, enlarging, 500 x 375 and
 * 1024 x 768 to a shorter side of 256): every byte equal (worst error 0). The float arithmetic used
 * before (weights in double, a float intermediate) differed by up to 1 (mean 0.11 to 0.19 per value).
 * ImageResizeTest checks stored Pillow results byte for byte. Decoding is a separate matter: JPEG
 * decoders (javax.imageio's, libjpeg's in Pillow) may differ by a few levels before any resizing.
 *
 * <p><b>Floats.</b> {@link #resizeWindow} applies the same double weights to float pixels (horizontal
 * pass into a float intermediate, then vertical), without rounding: it serves transforms, which see
 * pixels in [0, 1].
 */
final class ImageResize {
    /** Pillow's fixed-point precision for 8-bit images: 32 - 8 - 2 bits. */
    static final int PRECISION_BITS = 22;

    private ImageResize() {
    }

    /**
     * The (height, width) after scaling the shorter side to {@code shorter}: the longer side becomes
     * {@code floor(shorter * long / short)}, as torchvision computes it.
     */
    static int[] shorterSideTo(int height, int width, int shorter) {
        if (height <= width) {
            return new int[] {shorter, (int) ((long) shorter * width / height)};
        }
        return new int[] {(int) ((long) shorter * height / width), shorter};
    }

    /**
     * Whether every array that resizing a channels x height x width image to a shorter side of
     * {@code shorter} allocates (the output, and the row pass's height x outWidth intermediate) fits in
     * {@code limit} elements; computed without overflow, so that an extreme aspect ratio is refused
     * rather than wrapped around.
     */
    static boolean fits(int channels, int height, int width, int shorter, long limit) {
        long longer = (long) shorter * Math.max(height, width) / Math.min(height, width);
        if (longer > limit) {
            return false;
        }
        long plane = longer * shorter;
        long outWidth = height <= width ? longer : shorter;
        return plane <= limit && channels * plane <= limit && channels * height * outWidth <= limit;
    }

    /** {@code src} (channels x height x width) resized bilinearly to channels x outHeight x outWidth, as Pillow. */
    static byte[] resize(byte[] src, int channels, int height, int width, int outHeight, int outWidth) {
        byte[] rows = src;
        if (outWidth != width) {
            Weights across = new Weights(width, outWidth);
            rows = new byte[channels * height * outWidth];
            for (int line = 0; line < channels * height; line++) {
                for (int x = 0; x < outWidth; x++) {
                    int sum = 1 << (PRECISION_BITS - 1);
                    int from = line * width + across.first[x];
                    for (int k = 0; k < across.count[x]; k++) {
                        sum += across.fixed[x][k] * (src[from + k] & 0xFF);
                    }
                    rows[line * outWidth + x] = clip8(sum);
                }
            }
        }
        if (outHeight == height) {
            return rows == src ? src.clone() : rows;
        }
        Weights down = new Weights(height, outHeight);
        byte[] out = new byte[channels * outHeight * outWidth];
        for (int c = 0; c < channels; c++) {
            int plane = c * height * outWidth;
            for (int y = 0; y < outHeight; y++) {
                for (int x = 0; x < outWidth; x++) {
                    int sum = 1 << (PRECISION_BITS - 1);
                    for (int k = 0; k < down.count[y]; k++) {
                        sum += down.fixed[y][k] * (rows[plane + (down.first[y] + k) * outWidth + x] & 0xFF);
                    }
                    out[(c * outHeight + y) * outWidth + x] = clip8(sum);
                }
            }
        }
        return out;
    }

    private static byte clip8(int sum) {
        return (byte) Math.clamp(sum >> PRECISION_BITS, 0, 255);
    }

    /** The central {@code size x size} window of {@code src}; the corner is at floor((side - size) / 2). */
    static byte[] centreCrop(byte[] src, int channels, int height, int width, int size) {
        return crop(src, channels, height, width, (height - size) / 2, (width - size) / 2, size, size);
    }

    /** The {@code cropHeight x cropWidth} window of {@code src} with its corner at ({@code top}, {@code left}). */
    static byte[] crop(byte[] src, int channels, int height, int width, int top, int left, int cropHeight, int cropWidth) {
        byte[] out = new byte[channels * cropHeight * cropWidth];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < cropHeight; y++) {
                System.arraycopy(src, (c * height + top + y) * width + left, out, (c * cropHeight + y) * cropWidth,
                        cropWidth);
            }
        }
        return out;
    }

    /** The interpolation weights of every output pixel along one side, in Pillow's fixed point. */
    private static final class Weights {
        final int[] first;
        final int[] count;
        final int[][] fixed;

        Weights(int in, int out) {
            double scale = (double) in / out;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale;
            first = new int[out];
            count = new int[out];
            fixed = new int[out][];
            for (int i = 0; i < out; i++) {
                double centre = (i + 0.5) * scale;
                int from = Math.max(0, (int) (centre - support + 0.5));
                int to = Math.min(in, (int) (centre + support + 0.5));
                double[] w = new double[to - from];
                double total = 0;
                for (int x = from; x < to; x++) {
                    w[x - from] = Math.max(0, 1 - Math.abs((x - centre + 0.5) / filterScale));
                    total += w[x - from];
                }
                int[] k = new int[w.length];
                for (int j = 0; j < w.length; j++) {
                    if (total != 0) {
                        w[j] /= total;
                    }
                    k[j] = (int) (w[j] * (1 << PRECISION_BITS) + 0.5);
                }
                first[i] = from;
                count[i] = w.length;
                fixed[i] = k;
            }
        }
    }
}

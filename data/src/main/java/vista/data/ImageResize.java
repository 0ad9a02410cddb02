package vista.data;

/**
 * Geometry for image folders: resizing so the shorter side has a given length, and centre cropping.
 * Images are unsigned bytes in CHW order.
 *
 * <p><b>Resize.</b> Bilinear interpolation in the form Pillow uses (and so torchvision's {@code Resize} on
 * PIL images): output pixel {@code i} of a side scaled by {@code s = in / out} is centred at
 * {@code (i + 0.5) * s} in input coordinates, and is a weighted mean of the input pixels {@code x} with
 * triangle weights {@code max(0, 1 - |x + 0.5 - centre| / f)}, {@code f = max(s, 1)}, normalised over the
 * pixels inside the image. When enlarging ({@code f = 1}) this is plain bilinear interpolation with
 * pixel centres at half-integers and edges clamped; when shrinking the triangle widens to cover every
 * input pixel, which avoids aliasing. Rows are resized first, then columns, with a float intermediate;
 * results are rounded to the nearest byte. Pillow computes in fixed point, so its bytes can differ from
 * ours by 1.
 */
final class ImageResize {
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
        return plane <= limit && channels * plane <= limit && height * outWidth <= limit;
    }

    /** {@code src} (channels x height x width) resized bilinearly to channels x outHeight x outWidth. */
    static byte[] resize(byte[] src, int channels, int height, int width, int outHeight, int outWidth) {
        if (outHeight == height && outWidth == width) {
            return src.clone();
        }
        Weights across = new Weights(width, outWidth);
        Weights down = new Weights(height, outHeight);
        float[] rows = new float[height * outWidth];
        byte[] out = new byte[channels * outHeight * outWidth];
        for (int c = 0; c < channels; c++) {
            int plane = c * height * width;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < outWidth; x++) {
                    double v = 0;
                    for (int k = 0; k < across.count[x]; k++) {
                        v += across.weight[x][k] * (src[plane + y * width + across.first[x] + k] & 0xFF);
                    }
                    rows[y * outWidth + x] = (float) v;
                }
            }
            int outPlane = c * outHeight * outWidth;
            for (int y = 0; y < outHeight; y++) {
                for (int x = 0; x < outWidth; x++) {
                    double v = 0;
                    for (int k = 0; k < down.count[y]; k++) {
                        v += down.weight[y][k] * rows[(down.first[y] + k) * outWidth + x];
                    }
                    out[outPlane + y * outWidth + x] = (byte) Math.clamp(Math.round(v), 0, 255);
                }
            }
        }
        return out;
    }

    /** The central {@code size x size} window of {@code src}; the corner is at floor((side - size) / 2). */
    static byte[] centreCrop(byte[] src, int channels, int height, int width, int size) {
        int top = (height - size) / 2;
        int left = (width - size) / 2;
        byte[] out = new byte[channels * size * size];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < size; y++) {
                System.arraycopy(src, (c * height + top + y) * width + left, out, (c * size + y) * size, size);
            }
        }
        return out;
    }

    /** The interpolation weights of every output pixel along one side. */
    private static final class Weights {
        final int[] first;
        final int[] count;
        final double[][] weight;

        Weights(int in, int out) {
            double scale = (double) in / out;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale;
            first = new int[out];
            count = new int[out];
            weight = new double[out][];
            for (int i = 0; i < out; i++) {
                double centre = (i + 0.5) * scale;
                int from = Math.max(0, (int) Math.floor(centre - support + 0.5));
                int to = Math.min(in, (int) Math.floor(centre + support + 0.5));
                double[] w = new double[to - from];
                double total = 0;
                for (int x = from; x < to; x++) {
                    w[x - from] = Math.max(0, 1 - Math.abs((x - centre + 0.5) / filterScale));
                    total += w[x - from];
                }
                for (int k = 0; k < w.length; k++) {
                    w[k] /= total;
                }
                first[i] = from;
                count[i] = w.length;
                weight[i] = w;
            }
        }
    }
}

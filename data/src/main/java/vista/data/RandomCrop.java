package vista.data;

import vista.tensor.Rng;

/**
 * Random translation: pads the image with {@code padding} zeros on every side, then cuts out a window of
 * the original size at a random position (as torchvision's {@code RandomCrop(size, padding)}).
 *
 * <p>Draws two integers per image, {@code top = rng.nextInt(2 * padding + 1)} then
 * {@code left = rng.nextInt(2 * padding + 1)}, the window's corner in the padded image; so
 * {@code out(c, y, x) = in(c, y + top - padding, x + left - padding)}, or 0 where that falls outside the
 * image. With {@code top = left = padding} the image is unchanged. Zero is black when the transform runs
 * before {@link Normalize}, as in the usual recipe (crop, flip, then normalise).
 */
public final class RandomCrop implements Transform {
    private final int padding;

    /** Pads by {@code padding} >= 0 pixels: e.g. 4 for 32x32 CIFAR images, 2 or 4 for 28x28 ones. */
    public RandomCrop(int padding) {
        if (padding < 0) {
            throw new IllegalArgumentException("RandomCrop: padding must be >= 0, got " + padding);
        }
        this.padding = padding;
    }

    public int padding() {
        return padding;
    }

    @Override
    public void apply(FloatImage image, Rng rng) {
        int top = rng.nextInt(2 * padding + 1);
        int left = rng.nextInt(2 * padding + 1);
        shift(image, top - padding, left - padding);
    }

    /**
     * Moves the contents in place so that {@code out(c, y, x) = in(c, y + dy, x + dx)}, with 0 where that
     * falls outside the image.
     */
    public static void shift(FloatImage image, int dy, int dx) {
        int h = image.height();
        int w = image.width();
        float[] d = image.data();
        float[] plane = new float[h * w];
        for (int c = 0; c < image.channels(); c++) {
            int base = image.index(c, 0, 0);
            System.arraycopy(d, base, plane, 0, plane.length);
            for (int y = 0; y < h; y++) {
                int sy = y + dy;
                for (int x = 0; x < w; x++) {
                    int sx = x + dx;
                    boolean inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
                    d[base + y * w + x] = inside ? plane[sy * w + sx] : 0f;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "RandomCrop(padding=" + padding + ")";
    }
}

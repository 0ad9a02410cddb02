package vista.data;

import vista.tensor.Rng;

/**
 * Mirrors the image left to right with probability {@code p} (default 1/2): pixel (c, y, x) becomes
 * pixel (c, y, width - 1 - x). Draws exactly one float per image: flips when {@code rng.nextFloat() < p}.
 */
public final class RandomHorizontalFlip implements Transform {
    private final float probability;

    /** Flips half of the images. */
    public RandomHorizontalFlip() {
        this(0.5f);
    }

    /** Flips with probability {@code probability}, in [0, 1]. */
    public RandomHorizontalFlip(float probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("RandomHorizontalFlip: probability must be in [0, 1], got " + probability);
        }
        this.probability = probability;
    }

    @Override
    public void apply(FloatImage image, Rng rng) {
        if (rng.nextFloat() < probability) {
            flip(image);
        }
    }

    /** Mirrors every row of {@code image} in place. */
    public static void flip(FloatImage image) {
        float[] d = image.data();
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < image.height(); y++) {
                int left = image.index(c, y, 0);
                int right = image.index(c, y, image.width() - 1);
                while (left < right) {
                    float t = d[left];
                    d[left++] = d[right];
                    d[right--] = t;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "RandomHorizontalFlip(p=" + probability + ")";
    }
}

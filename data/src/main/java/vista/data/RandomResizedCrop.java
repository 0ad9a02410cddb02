package vista.data;

import vista.tensor.Rng;

/**
 * The window of torchvision's {@code RandomResizedCrop(size, scale=(0.08, 1.0), ratio=(3/4, 4/3))}:
 * a random-size, random-aspect window of an image, which the lazy image folder
 * ({@link LazyImageFolder}) cuts from the decoded 8-bit image and resizes to the training size with
 * Pillow's weights ({@link ImageResize}), as torchvision does on PIL images.
 *
 * <p><b>Window</b> (torchvision's {@code get_params}), for an {@code H x W} image of area {@code A = H W}:
 * up to 10 tries, each drawing {@code target = A * uniform(scale)} and
 * {@code aspect = exp(uniform(log ratio0, log ratio1))}, then {@code w = rint(sqrt(target * aspect))},
 * {@code h = rint(sqrt(target / aspect))} (round half to even, as Python's {@code round}); the first try
 * with {@code 0 < w <= W} and {@code 0 < h <= H} takes {@code top = nextInt(H - h + 1)},
 * {@code left = nextInt(W - w + 1)}. If no try fits, the fallback is the central window of the whole
 * image clamped to the ratio range: {@code W / H < ratio0} gives {@code w = W, h = rint(W / ratio0)};
 * {@code W / H > ratio1} gives {@code h = H, w = rint(H * ratio1)}; else the whole image; its corner is
 * at {@code ((H - h) / 2, (W - w) / 2)} (integer division). {@code uniform(a, b) = a + (b - a) *
 * rng.nextDouble()}, so a try draws two doubles, and a success two more integers.
 *
 */
public final class RandomResizedCrop {
    private static final int TRIES = 10;

    private final double scaleMin;
    private final double scaleMax;
    private final double ratioMin;
    private final double ratioMax;

    /** torchvision's defaults: scale 0.08 to 1 of the area, aspect ratio 3/4 to 4/3. */
    public RandomResizedCrop() {
        this(0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0);
    }

    /** Windows of {@code scaleMin..scaleMax} of the area and aspect ratios (width / height) {@code ratioMin..ratioMax}. */
    public RandomResizedCrop(double scaleMin, double scaleMax, double ratioMin, double ratioMax) {
        if (!(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1)) {
            throw new IllegalArgumentException("RandomResizedCrop: scale must satisfy 0 < min <= max <= 1, got "
                    + scaleMin + " to " + scaleMax);
        }
        if (!(ratioMin > 0 && ratioMin <= ratioMax && Double.isFinite(ratioMax))) {
            throw new IllegalArgumentException("RandomResizedCrop: ratio must satisfy 0 < min <= max, got "
                    + ratioMin + " to " + ratioMax);
        }
        this.scaleMin = scaleMin;
        this.scaleMax = scaleMax;
        this.ratioMin = ratioMin;
        this.ratioMax = ratioMax;
    }

    /** The window {top, left, height, width} that {@code rng} picks for an {@code height x width} image. */
    public int[] window(int height, int width, Rng rng) {
        double area = (double) height * width;
        double logMin = Math.log(ratioMin);
        double logMax = Math.log(ratioMax);
        for (int t = 0; t < TRIES; t++) {
            double target = area * (scaleMin + (scaleMax - scaleMin) * rng.nextDouble());
            double aspect = Math.exp(logMin + (logMax - logMin) * rng.nextDouble());
            int w = (int) Math.rint(Math.sqrt(target * aspect));
            int h = (int) Math.rint(Math.sqrt(target / aspect));
            if (w > 0 && w <= width && h > 0 && h <= height) {
                int top = rng.nextInt(height - h + 1);
                int left = rng.nextInt(width - w + 1);
                return new int[] {top, left, h, w};
            }
        }
        double inRatio = (double) width / height;
        int w = width;
        int h = height;
        if (inRatio < ratioMin) {
            h = (int) Math.rint(w / ratioMin);
        } else if (inRatio > ratioMax) {
            w = (int) Math.rint(h * ratioMax);
        }
        return new int[] {(height - h) / 2, (width - w) / 2, h, w};
    }

    @Override
    public String toString() {
        return "RandomResizedCrop(scale=" + scaleMin + ".." + scaleMax + ", ratio=" + ratioMin + ".." + ratioMax + ")";
    }
}

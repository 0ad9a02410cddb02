package vista.data;

import java.util.Arrays;
import vista.tensor.Rng;

/**
 * Per-channel standardisation: {@code out(c, y, x) = (in(c, y, x) - mean[c]) / std[c]}, computed in
 * float. Means and standard deviations are in the units of the loader's pixels, [0, 1] (byte / 255), as
 * in torchvision's {@code Normalize} after {@code ToTensor}. Draws no random numbers.
 *
 * <p>{@link #computedFrom(Dataset)} measures them on a data set: the mean and the population standard
 * deviation (dividing by the count) of every pixel of every sample, per channel. The sums are exact
 * integer sums of the bytes, so the result does not depend on any summation order. For Fashion-MNIST's
 * training set this gives mean 0.2860 and std 0.3530.
 */
public final class Normalize implements Transform {
    private final float[] mean;
    private final float[] std;

    /** One mean and one standard deviation (> 0) per channel. */
    public Normalize(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize: expected one mean and one std per channel, got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0) || !Float.isFinite(std[c]) || !Float.isFinite(mean[c])) {
                throw new IllegalArgumentException("Normalize: channel " + c + " needs a finite mean and a finite"
                        + " std > 0, got mean " + mean[c] + " and std " + std[c]);
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** The per-channel mean and population standard deviation of {@code dataset}'s pixels, in [0, 1] units. */
    public static Normalize computedFrom(Dataset dataset) {
        int channels = dataset.channels();
        int plane = dataset.height() * dataset.width();
        long[] sum = new long[channels];
        long[] sumOfSquares = new long[channels];
        for (int i = 0; i < dataset.size(); i++) {
            byte[] p = dataset.pixels(i);
            for (int c = 0; c < channels; c++) {
                for (int k = c * plane; k < (c + 1) * plane; k++) {
                    int v = p[k] & 0xFF;
                    sum[c] += v;
                    sumOfSquares[c] += v * v;
                }
            }
        }
        double count = (double) dataset.size() * plane;
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double m = sum[c] / count;
            double variance = Math.max(0, sumOfSquares[c] / count - m * m);
            mean[c] = (float) (m / 255);
            std[c] = (float) (Math.sqrt(variance) / 255);
            if (std[c] == 0) {
                throw new IllegalArgumentException("Normalize: channel " + c + " of " + dataset.name()
                        + " has the same value everywhere, so it has no standard deviation to divide by");
            }
        }
        return new Normalize(mean, std);
    }

    /** The per-channel means (a copy). */
    public float[] mean() {
        return mean.clone();
    }

    /** The per-channel standard deviations (a copy). */
    public float[] std() {
        return std.clone();
    }

    @Override
    public void apply(FloatImage image, Rng rng) {
        if (image.channels() != mean.length) {
            throw new IllegalArgumentException("Normalize: built for " + mean.length + " channels, got an image of "
                    + image.channels() + " x " + image.height() + " x " + image.width());
        }
        float[] d = image.data();
        int plane = image.height() * image.width();
        for (int c = 0; c < mean.length; c++) {
            int from = image.index(c, 0, 0);
            for (int k = from; k < from + plane; k++) {
                d[k] = (d[k] - mean[c]) / std[c];
            }
        }
    }

    @Override
    public String toString() {
        return "Normalize(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}

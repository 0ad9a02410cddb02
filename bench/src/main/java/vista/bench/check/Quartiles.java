package vista.bench.check;

import java.util.Arrays;
import java.util.List;

/**
 * The quartiles of a sample of timings. The q-quantile of the sorted values {@code v[0..n-1]} interpolates
 * linearly between ranks: at position {@code h = (n - 1) q}, {@code v[floor h] + (h - floor h)
 * (v[floor h + 1] - v[floor h])} (numpy's default, so that PyTorch's side and Vista's agree).
 *
 * @param lower the first quartile (q = 0.25)
 * @param median the median (q = 0.5)
 * @param upper the third quartile (q = 0.75)
 */
public record Quartiles(double lower, double median, double upper) {

    /** The interquartile range, {@code upper - lower}. */
    public double range() {
        return upper - lower;
    }

    /**
     * The quartiles of {@code values}.
     *
     * @throws IllegalArgumentException if there are none
     */
    public static Quartiles of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("quartiles of an empty sample: time at least one repetition");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return new Quartiles(quantile(sorted, 0.25), quantile(sorted, 0.5), quantile(sorted, 0.75));
    }

    private static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int below = (int) Math.floor(h);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
    }
}

package vista.models.app.stats;

import java.util.Locale;

/**
 * A confidence interval {@code [lower, upper]} for a rate or a difference of rates, as fractions
 * (0.749, not 74.9).
 */
public record Interval(double lower, double upper) {
    public Interval {
        if (!(lower <= upper)) {
            throw new IllegalArgumentException("Interval: lower bound " + lower + " is above upper bound " + upper);
        }
    }

    /** Whether {@code value} lies in the interval, bounds included. */
    public boolean contains(double value) {
        return lower <= value && value <= upper;
    }

    /** The bounds in percent with {@code decimals} decimals, e.g. {@code [74.05, 75.77]}. */
    public String percent(int decimals) {
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, "[" + f + ", " + f + "]", 100 * lower, 100 * upper);
    }

    /** The bounds in percentage points with their signs, e.g. {@code [+0.11, +1.05]}, for differences. */
    public String signedPoints(int decimals) {
        String f = "%+." + decimals + "f";
        return String.format(Locale.ROOT, "[" + f + ", " + f + "]", 100 * lower, 100 * upper);
    }
}

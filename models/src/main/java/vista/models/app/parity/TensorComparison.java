package vista.models.app.parity;

import java.util.Locale;
import vista.models.app.parity.ParityCase.Tolerance;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * Vista's value of one compared tensor against its float64 reference, element by element, with the
 * fixtures' rule: an element passes when
 * <pre>
 *   |actual - expected| <= atol + rtol |expected|
 * </pre>
 * and the tensor passes when its shape is the expected one, every element passes and none is NaN or
 * infinite. Reported: the largest |actual - expected| and the largest ratio
 * {@code |actual - expected| / (atol + rtol |expected|)} ("worst/allowed": at most 1 passes, and its size
 * says by how much a tensor passes or fails), with the element where that ratio is reached.
 *
 * @param tensor        the compared tensor's name ({@code output}, {@code grad.weight}, ...)
 * @param expectedShape the shape in case.json
 * @param actualShape   the shape Vista produced (null if Vista produced nothing)
 * @param maxAbsDiff    the largest |actual - expected| over the finite elements (NaN if the shapes differ)
 * @param worstRatio    the largest |actual - expected| / allowed; infinite on NaN, infinity or a shape mismatch
 * @param worstIndex    the row-major index of the element with {@code worstRatio} (-1 if none)
 * @param worstActual   Vista's value there
 * @param worstExpected the reference value there
 * @param failing       how many elements fail (including non-finite ones)
 * @param nonFinite     how many of Vista's elements are NaN or infinite
 * @param tolerance     the tolerance applied
 */
public record TensorComparison(String tensor, Shape expectedShape, Shape actualShape, double maxAbsDiff, double worstRatio,
                         int worstIndex, double worstActual, double worstExpected, int failing, int nonFinite,
                         Tolerance tolerance) {

    /** Compares {@code actual} with {@code expected} (row-major, of {@code expectedShape}). */
    public static TensorComparison of(String tensor, Tensor actual, Shape expectedShape, double[] expected,
                                Tolerance tolerance) {
        if (actual == null || !actual.shape().equals(expectedShape)) {
            return new TensorComparison(tensor, expectedShape, actual == null ? null : actual.shape(), Double.NaN,
                    Double.POSITIVE_INFINITY, -1, Double.NaN, Double.NaN, expectedShape.numel(), 0, tolerance);
        }
        double[] a = actual.toDoubleArray();
        double maxAbs = 0;
        double worst = 0;
        int worstAt = a.length > 0 ? 0 : -1;
        int failing = 0;
        int nonFinite = 0;
        for (int i = 0; i < a.length; i++) {
            double diff = Math.abs(a[i] - expected[i]);
            double ratio;
            if (!Double.isFinite(a[i])) {
                nonFinite++;
                ratio = Double.POSITIVE_INFINITY;
            } else {
                maxAbs = Math.max(maxAbs, diff);
                ratio = diff / tolerance.allowed(expected[i]);
            }
            if (!(ratio <= 1)) {
                failing++;
            }
            if (ratio > worst) {
                worst = ratio;
                worstAt = i;
            }
        }
        return new TensorComparison(tensor, expectedShape, actual.shape(), maxAbs, worst, worstAt,
                worstAt < 0 ? Double.NaN : a[worstAt], worstAt < 0 ? Double.NaN : expected[worstAt], failing,
                nonFinite, tolerance);
    }

    /** True if the shapes agree and every element is finite and within tolerance. */
    public boolean passed() {
        return expectedShape.equals(actualShape) && failing == 0;
    }

    /**
     * One line: name, shape, max |diff|, worst/allowed, PASS or FAIL, and for a failure {@link #problem()}.
     */
    public String describe() {
        String line = String.format(Locale.ROOT, "%s %s  max |diff| %s  worst/allowed %s  %s", tensor, expectedShape,
                formatDiff(maxAbsDiff), formatRatio(worstRatio), passed() ? "PASS" : "FAIL");
        return passed() ? line : line + " (" + problem() + ")";
    }

    /**
     * Why the tensor fails, e.g. {@code 12 of 1152 elements outside, worst at index 17: 0.51 vs 0.5,
     * allowed 8.4e-05} or {@code Vista's shape is [2, 16, 4, 4]}; empty when it passes.
     */
    public String problem() {
        if (passed()) {
            return "";
        }
        if (actualShape == null) {
            return "Vista produced no value";
        }
        if (!actualShape.equals(expectedShape)) {
            return "Vista's shape is " + actualShape + ", expected " + expectedShape;
        }
        String nan = nonFinite > 0 ? ", " + nonFinite + " NaN or infinite" : "";
        return String.format(Locale.ROOT, "%d of %d elements outside%s; worst at index %d: %s vs %s, allowed %.2g",
                failing, expectedShape.numel(), nan, worstIndex, Double.toString(worstActual),
                Double.toString(worstExpected), tolerance.allowed(worstExpected));
    }

    /** A max |diff| for a table: 3 significant digits, "-" when undefined. */
    public static String formatDiff(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2e", value);
    }

    /** A worst/allowed ratio for a table: 3 significant digits, "inf" for NaN, infinity or a shape mismatch, "-" when undefined. */
    public static String formatRatio(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.3g", value) : "inf";
    }
}

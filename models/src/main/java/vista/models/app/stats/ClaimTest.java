package vista.models.app.stats;

/**
 * A published accuracy set against one run: is the claimed rate inside the run's exact 95% interval, and
 * how likely is a count as far from the claim as the run's if the claim were the true rate
 * ({@link ExactBinomial#twoSidedP}). The two answers agree: the claim is inside exactly when
 * {@code pValue() >= 0.05}.
 *
 * @param claimed  the claimed rate, as a fraction
 * @param observed the run's count
 * @param interval the run's exact 95% interval ({@link Proportion#interval()})
 * @param log10P   log10 of the exact two-sided p-value of the run's count under the claim (kept as a logarithm
 *                 so that a p-value below the smallest double still has a size)
 */
public record ClaimTest(double claimed, Proportion observed, Interval interval, double log10P) {
    /** The exact two-sided p-value, 10^log10P; 0 only below 4.9e-324 or for a count the claim rules out. */
    public double pValue() {
        return Math.pow(10, log10P);
    }

    /** Whether the claimed rate lies inside the run's 95% interval. */
    public boolean inside() {
        return interval.contains(claimed);
    }
}

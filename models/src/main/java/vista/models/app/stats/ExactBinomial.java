package vista.models.app.stats;

import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * Exact two-sided p-values of a binomial count, summed from Commons Math's {@link BinomialDistribution}
 * probabilities in logarithms, so that a p-value of 1e-29 or 1e-2000 is reported as such, never as 0.
 *
 * <p>The two-sided p-value is the <b>doubled smaller tail</b> (the "central" test):
 * <pre>
 *   p = min(1, 2 min(P(X &lt;= k), P(X &gt;= k))),   X ~ Binomial(n, p0)
 *   P(X &lt;= k) = sum over j = 0..k of exp(log P(X = j)),   summed as  m + log sum exp(log P(X = j) - m),
 *   m = the largest log P(X = j) of the tail
 * </pre>
 * It is the test the Clopper-Pearson interval inverts: p0 lies inside the exact 95% interval of k out of
 * n exactly when this p is at least 0.05 (Clopper and Pearson, Biometrika 26, 1934), so an interval and
 * a p-value printed together never contradict each other. With p0 = 1/2 the distribution is symmetric
 * and this is also the smallest-likelihood p-value, i.e. McNemar's exact test.
 *
 * <p>Why the terms are summed rather than read from the distribution function: Commons Math's
 * {@code cumulativeProbability} returns 1 - I(p0; k + 1, n - k), and 1 minus a number within 1e-16 of 1 is
 * 0, so a tail of 1.5e-29 (188 against 473 disagreements) came out as p = 0. Every term of a tail is
 * positive, so the sum loses no digits, and {@code logProbability} (Loader's saddle-point form) keeps
 * full relative precision far below the smallest double. {@code BinomialTest} is not used for the same
 * case either: in version 3.6.1 it stops summing as soon as it passes the observed count, so it can leave
 * out the mirror tail (3 of 13 at p0 = 1/2 gives 0.057 instead of 0.092) and can return values above 1.
 */
public final class ExactBinomial {
    private static final double LN_2 = Math.log(2);
    private static final double LN_10 = Math.log(10);

    private ExactBinomial() {
    }

    /**
     * The exact two-sided p-value of {@code k} successes in {@code n} trials if the success rate were
     * {@code p0}; 1 when {@code n} is 0 (no trial, no evidence). It is 0 only when the count is impossible
     * under p0 (a success at p0 = 0) or when the p-value lies below the smallest double, 4.9e-324; then
     * {@link #twoSidedLog10P} still gives its size.
     *
     * @throws IllegalArgumentException unless 0 &lt;= k &lt;= n and 0 &lt;= p0 &lt;= 1
     */
    public static double twoSidedP(int n, int k, double p0) {
        return Math.exp(lnTwoSidedP(n, k, p0));
    }

    /**
     * log10 of {@link #twoSidedP}: at most 0, minus infinity when the count is impossible under p0.
     *
     * @throws IllegalArgumentException unless 0 &lt;= k &lt;= n and 0 &lt;= p0 &lt;= 1
     */
    public static double twoSidedLog10P(int n, int k, double p0) {
        return lnTwoSidedP(n, k, p0) / LN_10;
    }

    /** The natural logarithm of {@link #twoSidedP}, after checking the arguments. */
    private static double lnTwoSidedP(int n, int k, double p0) {
        if (n < 0 || k < 0 || k > n) {
            throw new IllegalArgumentException("ExactBinomial: need 0 <= k <= n, got k = " + k + ", n = " + n);
        }
        if (!(p0 >= 0 && p0 <= 1)) {
            throw new IllegalArgumentException("ExactBinomial: the rate p0 must lie in [0, 1], got " + p0);
        }
        if (n == 0) {
            return 0;
        }
        BinomialDistribution binomial = new BinomialDistribution(null, n, p0);
        double smallerTail = Math.min(logTail(binomial, 0, k), logTail(binomial, k, n));
        return Math.min(0, LN_2 + smallerTail);
    }

    /** The natural logarithm of P(from &lt;= X &lt;= to), from the terms' logarithms. */
    private static double logTail(BinomialDistribution binomial, int from, int to) {
        double[] logTerms = new double[to - from + 1];
        double largest = Double.NEGATIVE_INFINITY;
        for (int j = from; j <= to; j++) {
            logTerms[j - from] = binomial.logProbability(j);
            largest = Math.max(largest, logTerms[j - from]);
        }
        if (largest == Double.NEGATIVE_INFINITY) {
            return largest;
        }
        double scaled = 0;
        for (double logTerm : logTerms) {
            scaled += Math.exp(logTerm - largest);
        }
        return largest + Math.log(scaled);
    }
}

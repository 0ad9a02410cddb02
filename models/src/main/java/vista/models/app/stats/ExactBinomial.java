package vista.models.app.stats;

import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * Exact two-sided p-values of a binomial count, from Commons Math's {@link BinomialDistribution}.
 *
 * <p>The two-sided p-value is the <b>doubled smaller tail</b> (the "central" test):
 * <pre>
 *   p = min(1, 2 min(P(X &lt;= k), P(X &gt;= k))),   X ~ Binomial(n, p0)
 * </pre>
 * It is the test the Clopper-Pearson interval inverts: p0 lies inside the exact 95% interval of k out of
 * n exactly when this p is at least 0.05 (Clopper and Pearson, Biometrika 26, 1934), so an interval and
 * a p-value printed together never contradict each other. With p0 = 1/2 the distribution is symmetric
 * and this is also the smallest-likelihood p-value, i.e. McNemar's exact test.
 *
 * <p>Commons Math's {@code BinomialTest} is not used for the two-sided case: in version 3.6.1 it stops
 * summing as soon as it passes the observed count, so it can leave out the mirror tail (3 of 13 at
 * p0 = 1/2 gives 0.057 instead of 0.092) and can return values above 1.
 */
public final class ExactBinomial {
    private ExactBinomial() {
    }

    /**
     * The exact two-sided p-value of {@code k} successes in {@code n} trials if the success rate were
     * {@code p0}; 1 when {@code n} is 0 (no trial, no evidence).
     *
     * @throws IllegalArgumentException unless 0 &lt;= k &lt;= n and 0 &lt;= p0 &lt;= 1
     */
    public static double twoSidedP(int n, int k, double p0) {
        if (n < 0 || k < 0 || k > n) {
            throw new IllegalArgumentException("ExactBinomial: need 0 <= k <= n, got k = " + k + ", n = " + n);
        }
        if (!(p0 >= 0 && p0 <= 1)) {
            throw new IllegalArgumentException("ExactBinomial: the rate p0 must lie in [0, 1], got " + p0);
        }
        if (n == 0) {
            return 1;
        }
        double atMost = new BinomialDistribution(null, n, p0).cumulativeProbability(k);
        // P(X >= k) as P(n - X <= n - k): n - X counts failures, Binomial(n, 1 - p0); no 1 - F(k - 1) rounding
        double atLeast = new BinomialDistribution(null, n, 1 - p0).cumulativeProbability(n - k);
        return Math.min(1, 2 * Math.min(atMost, atLeast));
    }
}

package vista.models.app.stats;

import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * {@code successes} out of {@code trials}, e.g. the test images a model classifies correctly, and what
 * they say about the true rate.
 *
 * <p><b>Interval: Clopper-Pearson</b>, the exact interval: its lower bound L solves
 * P(X &gt;= k | L) = 0.025 and its upper bound U solves P(X &lt;= k | U) = 0.025 for X ~ Binomial(n, p)
 * (L = 0 when k = 0, U = 1 when k = n). The bounds are the equivalent Beta quantiles
 * L = B(0.025; k, n - k + 1), U = B(0.975; k + 1, n - k), from Commons Math's {@link BetaDistribution}:
 * its {@code ClopperPearsonInterval} (version 3.6.1) computes the same bounds through an F distribution
 * and throws for k = 0 and k = n (zero degrees of freedom), which a perfect or empty class reaches.
 * Chosen over Wilson's score interval because its coverage is at least 95% for every true rate (Wilson's
 * is 95% on average, below it for some rates; Brown, Cai and DasGupta, Statistical Science 16, 2001), which
 * is the promise an auditor wants, and because it is the exact test's own interval, so the
 * {@link ClaimTest} p-value agrees with it. On a test set of 10,000 images the two differ by about 0.01
 * points.
 *
 * @param successes the count, 0 &lt;= successes &lt;= trials
 * @param trials    at least 1
 */
public record Proportion(long successes, long trials) {
    /** The confidence level of every interval here. */
    public static final double LEVEL = 0.95;
    /** How the intervals are computed, for reports and JSON. */
    public static final String METHOD = "Clopper-Pearson (exact binomial), 95%";
    /** The absolute accuracy of the bounds (Commons Math's default, 1e-9, is coarser than a printed 1e-4 %). */
    private static final double QUANTILE_ACCURACY = 1e-14;

    public Proportion {
        if (trials < 1 || successes < 0 || successes > trials || trials > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Proportion: need 0 <= successes <= trials and 1 <= trials <= "
                    + Integer.MAX_VALUE + ", got " + successes + " of " + trials);
        }
    }

    /** successes / trials. */
    public double rate() {
        return (double) successes / trials;
    }

    /** The exact (Clopper-Pearson) 95% interval of the true rate. */
    public Interval interval() {
        double tail = (1 - LEVEL) / 2;
        long failures = trials - successes;
        double lower = successes == 0 ? 0
                : new BetaDistribution(null, successes, failures + 1, QUANTILE_ACCURACY).inverseCumulativeProbability(tail);
        double upper = failures == 0 ? 1
                : new BetaDistribution(null, successes + 1, failures, QUANTILE_ACCURACY)
                        .inverseCumulativeProbability(1 - tail);
        return new Interval(lower, upper);
    }

    /**
     * Tests the claim that the true rate is {@code claimed} (a fraction): see {@link ClaimTest}.
     *
     * @throws IllegalArgumentException unless 0 &lt;= claimed &lt;= 1
     */
    public ClaimTest test(double claimed) {
        return new ClaimTest(claimed, this, interval(), ExactBinomial.twoSidedLog10P((int) trials, (int) successes,
                claimed));
    }
}

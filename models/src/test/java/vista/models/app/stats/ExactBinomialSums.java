package vista.models.app.stats;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * Binomial probabilities summed term by term in exact arithmetic, C(n, j) p^j (1 - p)^(n - j) with
 * {@link BigInteger} coefficients and {@link BigDecimal} powers: the independent reference the statistics
 * tests check Commons Math's results against.
 */
final class ExactBinomialSums {
    private static final MathContext CONTEXT = new MathContext(60);

    private ExactBinomialSums() {
    }

    /** P(from &lt;= X &lt;= to) for X ~ Binomial(n, p). */
    static double between(int n, double p, int from, int to) {
        return exactBetween(n, p, from, to).doubleValue();
    }

    /** log10 P(from &lt;= X &lt;= to), also for probabilities far below the smallest double. */
    static double log10Between(int n, double p, int from, int to) {
        BigDecimal sum = exactBetween(n, p, from, to);
        int exponent = sum.precision() - sum.scale() - 1;
        return exponent + Math.log10(sum.movePointLeft(exponent).doubleValue());
    }

    private static BigDecimal exactBetween(int n, double p, int from, int to) {
        BigDecimal success = new BigDecimal(p);
        BigDecimal failure = BigDecimal.ONE.subtract(success);
        BigDecimal sum = BigDecimal.ZERO;
        BigInteger choose = BigInteger.ONE;
        for (int j = 0; j <= n; j++) {
            if (j > 0) {
                choose = choose.multiply(BigInteger.valueOf(n - j + 1)).divide(BigInteger.valueOf(j));
            }
            if (j >= from && j <= to) {
                sum = sum.add(new BigDecimal(choose).multiply(success.pow(j, CONTEXT), CONTEXT)
                        .multiply(failure.pow(n - j, CONTEXT), CONTEXT), CONTEXT);
            }
        }
        return sum;
    }

    /** P(X &lt;= k). */
    static double atMost(int n, double p, int k) {
        return between(n, p, 0, k);
    }

    /** P(X &gt;= k). */
    static double atLeast(int n, double p, int k) {
        return between(n, p, k, n);
    }
}

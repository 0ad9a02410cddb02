package vista.models.app.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProportionTest {
    private static final int[][] COUNTS = {{1, 0}, {1, 1}, {10, 0}, {10, 1}, {10, 5}, {10, 9}, {10, 10}, {30, 17},
        {200, 3}, {200, 150}, {200, 200}};

    @Test
    void clopperPearsonBoundsLeaveTwoAndAHalfPercentInEachTail() {
        for (int[] c : COUNTS) {
            int n = c[0];
            int k = c[1];
            Interval ci = new Proportion(k, n).interval();
            String what = k + " of " + n + ": " + ci;
            if (k == 0) {
                assertEquals(0, ci.lower(), what);
            } else {
                assertEquals(0.025, ExactBinomialSums.atLeast(n, ci.lower(), k), 1e-9, "P(X >= k | lower), " + what);
            }
            if (k == n) {
                assertEquals(1, ci.upper(), what);
            } else {
                assertEquals(0.025, ExactBinomialSums.atMost(n, ci.upper(), k), 1e-9, "P(X <= k | upper), " + what);
            }
        }
    }

    @Test
    void noneAndAllCorrectHaveClosedFormBounds() {
        assertEquals(1 - Math.pow(0.025, 1 / 10.0), new Proportion(0, 10).interval().upper(), 1e-12);
        assertEquals(Math.pow(0.025, 1 / 10.0), new Proportion(10, 10).interval().lower(), 1e-12);
        assertEquals(0.975, new Proportion(0, 1).interval().upper(), 1e-12);
    }

    @Test
    void claimPValueIsTheDoubledSmallerExactTail() {
        double[] claims = {0, 0.02, 0.3, 0.5, 0.62, 0.749, 0.9, 1};
        for (int[] c : COUNTS) {
            for (double claim : claims) {
                int n = c[0];
                int k = c[1];
                double expected = Math.min(1, 2 * Math.min(ExactBinomialSums.atMost(n, claim, k),
                        ExactBinomialSums.atLeast(n, claim, k)));
                ClaimTest test = new Proportion(k, n).test(claim);
                assertEquals(expected, test.pValue(), 1e-9 * expected, k + " of " + n + " against " + claim);
            }
        }
    }

    @Test
    void claimPValuesFarBelowTheSmallestDoubleKeepTheirSize() {
        // 9000 of 10000 against a claim of 50%: the tail P(X >= 9000) summed exactly
        double expected = Math.log10(2) + ExactBinomialSums.log10Between(10000, 0.5, 9000, 10000);
        ClaimTest test = new Proportion(9000, 10000).test(0.5);
        assertEquals(expected, test.log10P(), 1e-9 * Math.abs(expected));
        assertTrue(expected < -1500, "far below 4.9e-324: " + expected);
        assertEquals(0, test.pValue());
        // none of 10,000 against 90%: p = 2 * 0.1^10000
        assertEquals(Math.log10(2) - 10000, new Proportion(0, 10000).test(0.9).log10P(), 1e-9);
        // a count the claim rules out: one success at a claimed rate of 0
        assertEquals(Double.NEGATIVE_INFINITY, new Proportion(1, 10).test(0).log10P());
    }

    @Test
    void aClaimIsInsideTheIntervalExactlyWhenItsPValueIsAtLeastFivePercent() {
        Proportion run = new Proportion(7490, 10000);
        for (double claim = 0.72; claim <= 0.78; claim += 0.0005) {
            ClaimTest test = run.test(claim);
            assertEquals(test.inside(), test.pValue() >= 0.05, "claim " + claim + ": p " + test.pValue() + ", "
                    + test.interval());
        }
        assertTrue(run.test(0.749).inside());
        assertTrue(run.test(0.749).pValue() > 0.95, "the run's own rate is no evidence against the claim");
    }

    @Test
    void refusesImpossibleCountsAndClaims() {
        assertThrows(IllegalArgumentException.class, () -> new Proportion(11, 10));
        assertThrows(IllegalArgumentException.class, () -> new Proportion(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Proportion(5, 10).test(1.2));
        assertThrows(IllegalArgumentException.class, () -> new Proportion(5, 10).test(Double.NaN));
    }
}

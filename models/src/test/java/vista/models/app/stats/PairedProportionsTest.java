package vista.models.app.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PairedProportionsTest {
    /** Φ^-1(0.975), the normal quantile of a 95% interval. */
    private static final double Z = 1.959963984540054;

    @Test
    void mcnemarPIsTwiceTheSmallerExactTailOfTheDisagreements() {
        int[][] discordant = {{0, 0}, {0, 1}, {1, 0}, {3, 10}, {10, 3}, {7, 7}, {254, 312}, {40, 0}, {0, 100}};
        for (int[] d : discordant) {
            int onlyA = d[0];
            int onlyB = d[1];
            int n = onlyA + onlyB;
            double expected = n == 0 ? 1
                    : Math.min(1, 2 * ExactBinomialSums.atMost(n, 0.5, Math.min(onlyA, onlyB)));
            double p = new PairedProportions(9000, onlyA, onlyB, 400).mcnemarP();
            assertEquals(expected, p, 1e-9 * expected, onlyA + " against " + onlyB);
        }
        assertEquals(0.092285156, new PairedProportions(0, 3, 10, 0).mcnemarP(), 1e-9,
                "2 (1 + 13 + 78 + 286) / 2^13");
    }

    @Test
    void tinyPValuesKeepTheirSizeInsteadOfReadingZero() {
        // 188 against 473: the SAN pairwise and ResNet families of the README, p = 3.0e-29
        double expected = 2 * ExactBinomialSums.atMost(661, 0.5, 188);
        PairedProportions families = new PairedProportions(8834, 473, 188, 505);
        assertEquals(expected, families.mcnemarP(), 1e-9 * expected);
        assertEquals(Math.log10(expected), families.mcnemarLog10P(), 1e-12);
        assertTrue(expected > 2.9e-29 && expected < 3.1e-29, "the reference sum itself: " + expected);
        // 0 against 2000: p = 2^-1999, below the smallest double; its log10 is exact
        PairedProportions lopsided = new PairedProportions(100, 0, 2000, 100);
        assertEquals(-1999 * Math.log10(2), lopsided.mcnemarLog10P(), 1e-9);
        assertEquals(0, lopsided.mcnemarP(), "10^-601.8 is not a double");
        // 5 against 1500: the five terms of the tail, summed exactly
        double tail = ExactBinomialSums.log10Between(1505, 0.5, 0, 5);
        assertEquals(Math.log10(2) + tail, new PairedProportions(0, 5, 1500, 0).mcnemarLog10P(), 1e-9);
    }

    @Test
    void differenceIntervalIsNewcombesHybridScoreInterval() {
        int[][] tables = {{9000, 254, 312, 434}, {12, 5, 9, 2}, {50, 0, 0, 0}, {0, 0, 0, 30}, {20, 3, 0, 7},
            {1, 0, 0, 0}, {0, 7, 9, 0}};
        for (int[] t : tables) {
            PairedProportions pair = new PairedProportions(t[0], t[1], t[2], t[3]);
            double[] expected = newcombe(t[0], t[1], t[2], t[3]);
            Interval ci = pair.differenceInterval();
            String what = java.util.Arrays.toString(t) + ": " + ci;
            assertEquals(expected[0], ci.lower(), 1e-12, what);
            assertEquals(expected[1], ci.upper(), 1e-12, what);
            assertTrue(ci.contains(pair.difference()), what);
        }
    }

    @Test
    void differenceIsBMinusA() {
        PairedProportions pair = new PairedProportions(9000, 254, 312, 434);
        assertEquals(58 / 10000.0, pair.difference(), 1e-15);
        assertEquals(9254, pair.accuracyA().successes());
        assertEquals(9312, pair.accuracyB().successes());
        assertTrue(pair.differenceInterval().lower() > 0, "312 against 254 of 10,000 is significant: "
                + pair.differenceInterval() + ", p " + pair.mcnemarP());
        assertTrue(pair.mcnemarP() < 0.05);
    }

    /** Newcombe's method 10 written out from the formula, with Wilson's bounds in closed form. */
    private static double[] newcombe(int a, int b, int c, int d) {
        int n = a + b + c + d;
        double p1 = (double) (a + c) / n;
        double p2 = (double) (a + b) / n;
        double[] w1 = wilson(p1, n);
        double[] w2 = wilson(p2, n);
        double margins = (double) (a + b) * (c + d) * (a + c) * (b + d);
        double cross = (double) a * d - (double) b * c;
        double adjusted = cross > n / 2.0 ? cross - n / 2.0 : cross < 0 ? cross : 0;
        double phi = margins == 0 ? 0 : adjusted / Math.sqrt(margins);
        double lower = p1 - p2 - Math.sqrt(Math.pow(p1 - w1[0], 2) - 2 * phi * (p1 - w1[0]) * (w2[1] - p2)
                + Math.pow(w2[1] - p2, 2));
        double upper = p1 - p2 + Math.sqrt(Math.pow(w1[1] - p1, 2) - 2 * phi * (w1[1] - p1) * (p2 - w2[0])
                + Math.pow(p2 - w2[0], 2));
        return new double[] {Math.max(-1, lower), Math.min(1, upper)};
    }

    /** Wilson's score interval: the p with (p̂ - p)² = z² p (1 - p) / n. */
    private static double[] wilson(double rate, int n) {
        double centre = rate + Z * Z / (2 * n);
        double spread = Z * Math.sqrt(rate * (1 - rate) / n + Z * Z / (4.0 * n * n));
        double scale = 1 + Z * Z / n;
        return new double[] {(centre - spread) / scale, (centre + spread) / scale};
    }
}

package vista.models.app.stats;

import org.apache.commons.math3.stat.interval.ConfidenceInterval;
import org.apache.commons.math3.stat.interval.WilsonScoreInterval;

/**
 * Two classifiers, A and B, judged on the same n images: the 2 x 2 table of who got each image right.
 * <pre>
 *                 B right     B wrong
 *   A right       bothRight   onlyA
 *   A wrong       onlyB       bothWrong
 * </pre>
 * Only the images where they disagree ({@code onlyA}, {@code onlyB}) say which is better; the others are
 * the same for both.
 *
 * <ul>
 *   <li><b>McNemar's exact test</b> ({@link #mcnemarP}): if A and B were equally accurate, each disagreement
 *       would favour B with probability 1/2, so {@code onlyB} ~ Binomial(onlyA + onlyB, 1/2); the p-value is
 *       the exact two-sided one, min(1, 2 P(X &lt;= min(onlyA, onlyB))) ({@link ExactBinomial}), and 1 when
 *       they never disagree.</li>
 *   <li><b>The difference</b> B - A = (onlyB - onlyA) / n, with <b>Newcombe's hybrid score interval</b> for
 *       paired proportions ({@link #differenceInterval}; Newcombe, Statistics in Medicine 17:2635-2650, 1998,
 *       method 10, as given in Altman et al., Statistics with Confidence, 2nd ed., 2000, ch. 6): with
 *       p1 = B's accuracy, p2 = A's, (l1, u1) and (l2, u2) their Wilson score intervals (Commons Math's
 *       {@link WilsonScoreInterval}) and φ the correlation of the table,
 *       <pre>
 *   lower = (p1 - p2) - sqrt((p1 - l1)² - 2φ (p1 - l1)(u2 - p2) + (u2 - p2)²)
 *   upper = (p1 - p2) + sqrt((u1 - p1)² - 2φ (u1 - p1)(p2 - l2) + (p2 - l2)²)
 *   φ = C / sqrt((a + b)(c + d)(a + c)(b + d)),  a = bothRight, b = onlyA, c = onlyB, d = bothWrong,
 *   C = ad - bc - n/2 if ad - bc &gt; n/2,  0 if 0 &lt;= ad - bc &lt;= n/2,  ad - bc if it is negative
 *       </pre>
 *       and φ = 0 when a margin is empty. Unlike the Wald interval it stays inside [-1, 1] and keeps its
 *       coverage near 95% when the disagreements are few.</li>
 * </ul>
 * Both use only the counts, so they need the answers image by image (a prediction file), not just the two
 * accuracies.
 *
 * @param bothRight images both classify correctly
 * @param onlyA     images A classifies correctly and B does not
 * @param onlyB     images B classifies correctly and A does not
 * @param bothWrong images neither classifies correctly
 */
public record PairedProportions(int bothRight, int onlyA, int onlyB, int bothWrong) {
    /** How the interval of the difference is computed, for reports and JSON. */
    public static final String METHOD = "Newcombe's hybrid score interval for paired proportions, 95%";

    public PairedProportions {
        if (bothRight < 0 || onlyA < 0 || onlyB < 0 || bothWrong < 0) {
            throw new IllegalArgumentException("PairedProportions: counts must be at least 0, got " + bothRight + ", "
                    + onlyA + ", " + onlyB + ", " + bothWrong);
        }
        if ((long) bothRight + onlyA + onlyB + bothWrong < 1
                || (long) bothRight + onlyA + onlyB + bothWrong > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("PairedProportions: need between 1 and " + Integer.MAX_VALUE
                    + " images in all");
        }
    }

    /** The number of images, n. */
    public int total() {
        return bothRight + onlyA + onlyB + bothWrong;
    }

    /** A's correct answers out of n. */
    public Proportion accuracyA() {
        return new Proportion(bothRight + onlyA, total());
    }

    /** B's correct answers out of n. */
    public Proportion accuracyB() {
        return new Proportion(bothRight + onlyB, total());
    }

    /** B's accuracy minus A's, (onlyB - onlyA) / n. */
    public double difference() {
        return (double) (onlyB - onlyA) / total();
    }

    /** McNemar's exact two-sided p-value (class comment); 1 when A and B never disagree. */
    public double mcnemarP() {
        return ExactBinomial.twoSidedP(onlyA + onlyB, onlyB, 0.5);
    }

    /** log10 of {@link #mcnemarP()}, which still has a size when the p-value is below the smallest double. */
    public double mcnemarLog10P() {
        return ExactBinomial.twoSidedLog10P(onlyA + onlyB, onlyB, 0.5);
    }

    /** Newcombe's 95% interval of {@link #difference()} (class comment). */
    public Interval differenceInterval() {
        int n = total();
        double p1 = accuracyB().rate();
        double p2 = accuracyA().rate();
        ConfidenceInterval b = wilson(bothRight + onlyB, n);
        ConfidenceInterval a = wilson(bothRight + onlyA, n);
        double phi = correlation();
        double belowB = p1 - b.getLowerBound();
        double aboveB = b.getUpperBound() - p1;
        double belowA = p2 - a.getLowerBound();
        double aboveA = a.getUpperBound() - p2;
        double lower = (p1 - p2) - Math.sqrt(belowB * belowB - 2 * phi * belowB * aboveA + aboveA * aboveA);
        double upper = (p1 - p2) + Math.sqrt(aboveB * aboveB - 2 * phi * aboveB * belowA + belowA * belowA);
        return new Interval(Math.max(-1, lower), Math.min(1, upper));
    }

    /** φ of the table with Newcombe's adjustment of a positive ad - bc (class comment). */
    double correlation() {
        double a = bothRight;
        double b = onlyA;
        double c = onlyB;
        double d = bothWrong;
        double margins = (a + b) * (c + d) * (a + c) * (b + d);
        if (margins == 0) {
            return 0;
        }
        double cross = a * d - b * c;
        double n = total();
        double adjusted = cross > n / 2 ? cross - n / 2 : Math.min(cross, 0);
        return adjusted / Math.sqrt(margins);
    }

    private static ConfidenceInterval wilson(int successes, int trials) {
        return new WilsonScoreInterval().createInterval(trials, successes, Proportion.LEVEL);
    }
}

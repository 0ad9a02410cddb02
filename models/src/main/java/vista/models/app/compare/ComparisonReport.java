package vista.models.app.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import vista.models.app.stats.ClaimTest;
import vista.models.app.stats.Interval;
import vista.models.app.stats.PairedProportions;
import vista.models.app.stats.Proportion;

/**
 * A {@link Comparison} in words for a reader, or as a map for JSON. The words, for two runs:
 * <pre>
 * A: runs/conv: 9254 of 10000 test images correct, top-1 92.54%, 95% interval [92.02, 93.04] (Clopper-Pearson)
 * B: runs/attention: 9312 of 10000 ...
 * B is better than A on 312 images, worse on 254 (both right on 9000, both wrong on 434).
 * McNemar's exact test: p = 0.016 ...
 * Accuracy difference B - A: +0.58 points, 95% interval [+0.11, +1.05] (Newcombe's hybrid score interval).
 * </pre>
 */
public final class ComparisonReport {
    private static final double SIGNIFICANCE = 0.05;

    private ComparisonReport() {
    }

    /** The comparison in sentences, one per line. */
    public static String text(Comparison c) {
        StringBuilder sb = new StringBuilder();
        sb.append(side("A", c.a()));
        if (c.b() != null) {
            sb.append(side("B", c.b()));
            PairedProportions pair = c.pair();
            sb.append(String.format(Locale.ROOT, "B is better than A on %d %s, worse on %d (both right on %d, both"
                    + " wrong on %d).\n", pair.onlyB(), pair.onlyB() == 1 ? "image" : "images", pair.onlyA(),
                    pair.bothRight(), pair.bothWrong()));
            sb.append(String.format(Locale.ROOT, "McNemar's exact test: p = %s, the chance of a split of the %d"
                    + " disagreements at least this uneven if A and B were equally accurate.\n",
                    p(pair.mcnemarLog10P()), pair.onlyA() + pair.onlyB()));
            Interval ci = pair.differenceInterval();
            sb.append(String.format(Locale.ROOT, "Accuracy difference B - A: %+.2f points, 95%% interval %s"
                    + " (Newcombe's hybrid score interval for paired proportions).\n", 100 * pair.difference(),
                    ci.signedPoints(2)));
            sb.append(verdict(pair)).append('\n');
        }
        if (c.claimed() != null) {
            sb.append(claim("A", c.a(), c.claimTest(c.a())));
            if (c.b() != null) {
                sb.append(claim("B", c.b(), c.claimTest(c.b())));
            }
        }
        return sb.toString();
    }

    /**
     * The comparison as JSON values: {@code a} (and {@code b}) with source, count, correct, top1,
     * top1_interval; for two sides {@code b_better}, {@code b_worse}, {@code both_right}, {@code both_wrong},
     * {@code p_value} (McNemar's exact) and {@code p_value_log10} (its log10, which keeps its size when
     * {@code p_value} is below the smallest double, 4.9e-324, and reads 0), {@code difference} (B - A, a
     * fraction), {@code interval} (its 95% interval), {@code interval_method}, {@code test}; with a claim,
     * {@code claim} with {@code claimed} and per side {@code inside}, {@code p_value} and
     * {@code p_value_log10}.
     */
    public static Map<String, Object> json(Comparison c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", sideJson(c.a()));
        if (c.b() != null) {
            PairedProportions pair = c.pair();
            m.put("b", sideJson(c.b()));
            m.put("b_better", pair.onlyB());
            m.put("b_worse", pair.onlyA());
            m.put("both_right", pair.bothRight());
            m.put("both_wrong", pair.bothWrong());
            m.put("test", "McNemar's exact test, two-sided");
            m.put("p_value", pair.mcnemarP());
            m.put("p_value_log10", pair.mcnemarLog10P());
            m.put("difference", pair.difference());
            m.put("interval", bounds(pair.differenceInterval()));
            m.put("interval_method", PairedProportions.METHOD);
        }
        if (c.claimed() != null) {
            Map<String, Object> claim = new LinkedHashMap<>();
            claim.put("claimed", c.claimed());
            claim.put("a", claimJson(c.claimTest(c.a())));
            if (c.b() != null) {
                claim.put("b", claimJson(c.claimTest(c.b())));
            }
            m.put("claim", claim);
        }
        return m;
    }

    private static String side(String label, ComparedRun run) {
        Proportion accuracy = Comparison.accuracy(run);
        return String.format(Locale.ROOT, "%s: %s: %d of %d test images correct, top-1 %.2f%%, 95%% interval %s"
                + " (Clopper-Pearson)\n", label, run.name(), accuracy.successes(), accuracy.trials(),
                100 * accuracy.rate(), accuracy.interval().percent(2));
    }

    private static String verdict(PairedProportions pair) {
        if (pair.onlyA() + pair.onlyB() == 0) {
            return "A and B answer every image the same way: nothing tells them apart.";
        }
        if (pair.mcnemarP() >= SIGNIFICANCE) {
            return "The difference is not significant at the 5% level: these test images do not show that either"
                    + " model is more accurate.";
        }
        return (pair.onlyB() > pair.onlyA() ? "B" : "A") + " is more accurate than " + (pair.onlyB() > pair.onlyA()
                ? "A" : "B") + " on these test images (significant at the 5% level).";
    }

    private static String claim(String label, ComparedRun run, ClaimTest test) {
        return String.format(Locale.ROOT, "Claim %s%%: %s %s's 95%% interval %s; the exact binomial test gives p = %s"
                + " for %d of %d correct if the true accuracy were %s%%, so %s.\n", percent(test.claimed()),
                test.inside() ? "inside" : "outside", label, test.interval().percent(2), p(test.log10P()),
                test.observed().successes(), test.observed().trials(), percent(test.claimed()),
                test.inside() ? "this run is consistent with the claim"
                        : "this run contradicts the claim (at the 5% level)");
    }

    private static Map<String, Object> sideJson(ComparedRun run) {
        Proportion accuracy = Comparison.accuracy(run);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", run.name());
        m.put("count", accuracy.trials());
        m.put("correct", accuracy.successes());
        m.put("top1", accuracy.rate());
        m.put("top1_interval", bounds(accuracy.interval()));
        m.put("interval_method", Proportion.METHOD);
        return m;
    }

    private static Map<String, Object> claimJson(ClaimTest test) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inside", test.inside());
        m.put("p_value", test.pValue());
        m.put("p_value_log10", test.log10P());
        m.put("interval", bounds(test.interval()));
        return m;
    }

    private static List<Double> bounds(Interval interval) {
        return new ArrayList<>(List.of(interval.lower(), interval.upper()));
    }

    /**
     * A p-value for reading, from its log10: three decimals, or two significant digits below 0.001 with an
     * exponent of any size ("3.0e-29", "1.2e-2410"); "0" only for a result the hypothesis rules out.
     */
    static String p(double log10) {
        if (log10 >= -3) {
            return String.format(Locale.ROOT, "%.3f", Math.pow(10, log10));
        }
        if (log10 == Double.NEGATIVE_INFINITY) {
            return "0";
        }
        long exponent = (long) Math.floor(log10);
        double mantissa = Math.round(10 * Math.pow(10, log10 - exponent)) / 10.0;
        if (mantissa >= 10) {
            mantissa = 1;
            exponent++;
        }
        return String.format(Locale.ROOT, "%.1fe-%02d", mantissa, -exponent);
    }

    /** A fraction in percent without trailing zeros: 0.749 as 74.9. */
    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.4f", 100 * fraction).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}

package vista.models.app.summary;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * One of Vista's counts for a model beside the figure a paper prints for it.
 *
 * <p>The papers print one decimal in millions (parameters) or billions (costs). Vista's count, rounded
 * half up to that precision, either equals the printed figure ({@code matches}) or not ({@code differs}).
 * A row that differs must carry the explanation of its cause, and a row that matches must not carry one:
 * the constructor rejects anything else, so no unexplained difference can be shown.
 *
 * @param model       the model's name in the zoo
 * @param quantity    what is counted, and how
 * @param ours        Vista's count, taken from the model's {@link ModelSummary}
 * @param published   the paper's figure, in units (13.7 M is {@code 13.7e6})
 * @param explanation why {@code ours} does not round to {@code published}; null exactly when it does
 */
public record FigureComparison(String model, Quantity quantity, long ours, double published, String explanation) {
    /** The decimals both papers print, in millions or billions. */
    public static final int PRINTED_DECIMALS = 1;

    /** What a row counts, how Vista gets it from a summary, and the unit the papers print it in. */
    public enum Quantity {
        /** Every parameter of the model; BatchNorm's running statistics are not parameters. */
        PARAMETERS("parameters", "M", 6, ModelSummary::params,
                "every parameter of the model (BatchNorm's running statistics are not parameters)"),
        /** Vista's FLOPs, 2 x MACs. */
        FLOPS("FLOPs = 2 x MACs", "G", 9, ModelSummary::flops, ModelSummary.FLOPS_CONVENTION),
        /** FLOPs with each layer counted as SASA's Table 1 counts it ({@link ModelSummary#paperFlops()}). */
        PAPER_FLOPS("FLOPs, paper's count", "G", 9, ModelSummary::paperFlops, ModelSummary.PAPER_COUNT_CONVENTION),
        /** What the official SAN counter prints as GMac: Vista's MACs + other ops. */
        SAN_COUNTER("MACs + other ops", "G", 9, s -> s.macs() + s.otherOps(), "the official SAN counter's GMac = "
                + "multiply-adds + BatchNorm (2 per element) + ReLU (1 per element) + pooling inputs + subtraction "
                + "elements + k² per aggregation output: Vista's MACs + other ops, which also count the classifier's "
                + "1,000 bias adds that the counter skips");

        private final String label;
        private final String unit;
        private final int unitExponent;
        private final ToLongFunction<ModelSummary> count;
        private final String convention;

        Quantity(String label, String unit, int unitExponent, ToLongFunction<ModelSummary> count, String convention) {
            this.label = label;
            this.unit = unit;
            this.unitExponent = unitExponent;
            this.count = count;
            this.convention = convention;
        }

        /** The row's name in the table, e.g. {@code FLOPs, paper's count}. */
        public String label() {
            return label;
        }

        /** The unit the papers print, {@code M} or {@code G}. */
        public String unit() {
            return unit;
        }

        /** How this quantity is counted, as a sentence. */
        public String convention() {
            return convention;
        }

        /** Vista's count of this quantity in {@code summary}. */
        public long of(ModelSummary summary) {
            return count.applyAsLong(summary);
        }

        /** {@code units} in this quantity's unit, rounded half up to the papers' precision. */
        BigDecimal printed(BigDecimal units) {
            return units.movePointLeft(unitExponent).setScale(PRINTED_DECIMALS, RoundingMode.HALF_UP);
        }
    }

    /**
     * Checks that the row is explained exactly when it differs.
     *
     * @throws IllegalStateException if the row differs and has no explanation, or matches and has one
     */
    public FigureComparison {
        boolean matches = rounds(quantity, ours, published);
        if (!matches && explanation == null) {
            throw new IllegalStateException(String.format(Locale.ROOT, "%s %s: Vista's %,d prints as %s %s, the paper "
                    + "as %s %s, and no explanation is recorded; state the cause in PaperDifferences", model,
                    quantity.label(), ours, quantity.printed(BigDecimal.valueOf(ours)), quantity.unit(),
                    quantity.printed(BigDecimal.valueOf(published)), quantity.unit()));
        }
        if (matches && explanation != null) {
            throw new IllegalStateException(model + " " + quantity.label() + ": Vista's count matches the paper's "
                    + "figure, yet PaperDifferences explains a difference; remove that explanation");
        }
    }

    private static boolean rounds(Quantity quantity, long ours, double published) {
        return quantity.printed(BigDecimal.valueOf(ours)).compareTo(quantity.printed(BigDecimal.valueOf(published))) == 0;
    }

    /** True when Vista's count, rounded to the papers' precision, is the printed figure. */
    public boolean matches() {
        return rounds(quantity, ours, published);
    }

    /** {@code matches} or {@code differs}. */
    public String verdict() {
        return matches() ? "matches" : "differs";
    }

    /** Vista's count rounded half up to the papers' precision, in {@link Quantity#unit()}: 14.2 for 14,173,384. */
    public BigDecimal rounded() {
        return quantity.printed(BigDecimal.valueOf(ours));
    }

    /** The published figure in {@link Quantity#unit()}, as printed: 14.1. */
    public BigDecimal printed() {
        return quantity.printed(BigDecimal.valueOf(published));
    }

    /** Vista's count minus the published figure, in units. */
    public long difference() {
        return ours - Math.round(published);
    }

    /** {@link #difference()} as a fraction of the published figure. */
    public double relativeDifference() {
        return difference() / published;
    }
}

package vista.models.app.summary;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import vista.models.app.summary.FigureComparison.Quantity;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.tensor.Rng;
import vista.tensor.Shape;

/**
 * A paper model's parameter count and cost, as Vista counts them, beside the figures its paper prints
 * ({@link PaperFigures}: SASA's Table 1, SAN's README), each with a verdict and, where they differ, the
 * cause ({@link PaperDifferences}).
 *
 * <p>The counts come from building the model as the zoo does, at 3 x 224 x 224 with 1000 classes, and
 * summarising it ({@link ModelSummary}); nothing is counted here. The cost is compared in the paper's
 * convention: SASA's FLOPs with each layer counted as the paper counts it ({@link ModelSummary#paperFlops()},
 * 2 x MACs for networks without attention), SAN's counter as Vista's MACs + other ops. Where SASA counts
 * attention layers differently, Vista's own 2 x MACs is compared as well.
 *
 * @param model     the model's name in the zoo
 * @param source    where the published figures come from
 * @param params    the parameter count
 * @param cost      the cost in the paper's convention
 * @param vistaCost Vista's own FLOPs (2 x MACs), for the SASA networks whose attention the paper counts
 *                  differently; empty for the others
 */
public record PaperAudit(String model, String source, FigureComparison params, FigureComparison cost,
        Optional<FigureComparison> vistaCost) {
    /** The image both papers count at. */
    public static final Shape IMAGE = Shape.of(3, 224, 224);
    /** The classes both papers count with (ImageNet). */
    public static final int CLASSES = 1000;

    /** The models the papers give figures for, in the order of their tables. */
    public static List<String> models() {
        return PaperFigures.models();
    }

    /**
     * Builds {@code model} as the zoo does, summarises it on one {@link #IMAGE} and audits the summary.
     *
     * @throws IllegalArgumentException if no paper gives figures for {@code model}
     * @throws IllegalStateException if a count differs from its figure and {@link PaperDifferences} does not
     *     explain why
     */
    public static PaperAudit of(String model) {
        figures(model); // fails before the build for a model no paper covers
        Module net = ModelZoo.create(model, new ModelZoo.Request(IMAGE.dim(0), CLASSES, new Rng(0)));
        return of(model, ModelSummary.of(net, IMAGE));
    }

    /**
     * Compares {@code summary}, the summary of {@code model} on one {@link #IMAGE} with {@link #CLASSES}
     * classes, with the published figures.
     *
     * @throws IllegalArgumentException if no paper gives figures for {@code model}, or the summary is of
     *     another image
     * @throws IllegalStateException if a count differs from its figure and {@link PaperDifferences} does not
     *     explain why
     */
    public static PaperAudit of(String model, ModelSummary summary) {
        PaperFigures paper = figures(model);
        if (!summary.image().equals(IMAGE)) {
            throw new IllegalArgumentException("PaperAudit: the papers count " + model + " on a " + IMAGE
                    + " image, but the summary is of a " + summary.image() + " image; summarise it on " + IMAGE);
        }
        boolean countsAttentionDifferently = summary.paperMacs() != summary.macs();
        Quantity costQuantity = paper.measure() == PaperFigures.Measure.SAN_COUNTER ? Quantity.SAN_COUNTER
                : countsAttentionDifferently ? Quantity.PAPER_FLOPS : Quantity.FLOPS;
        return new PaperAudit(model, paper.source(), compare(model, Quantity.PARAMETERS, summary, paper.params()),
                compare(model, costQuantity, summary, paper.cost()),
                costQuantity == Quantity.PAPER_FLOPS ? Optional.of(compare(model, Quantity.FLOPS, summary, paper.cost()))
                        : Optional.empty());
    }

    private static PaperFigures figures(String model) {
        return PaperFigures.find(model, IMAGE, CLASSES).orElseThrow(() -> new IllegalArgumentException(
                "no published figures for model '" + model + "'; the papers give them for "
                        + String.join(", ", models())));
    }

    private static FigureComparison compare(String model, Quantity quantity, ModelSummary summary, double published) {
        return new FigureComparison(model, quantity, quantity.of(summary), published,
                PaperDifferences.explanation(model, quantity));
    }

    /** The comparisons in the order a table shows them: parameters, Vista's own FLOPs if compared, the cost. */
    public List<FigureComparison> rows() {
        List<FigureComparison> rows = new ArrayList<>();
        rows.add(params);
        vistaCost.ifPresent(rows::add);
        rows.add(cost);
        return rows;
    }
}

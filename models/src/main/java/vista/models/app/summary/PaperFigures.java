package vista.models.app.summary;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import vista.tensor.Shape;

/**
 * A model's size and cost as a paper prints them, shown beside Vista's own count.
 *
 * <p>SASA (Ramachandran et al. 2019), Table 1, gives the ImageNet baselines at 224 x 224 with 1000
 * classes: ResNet-26 13.7 M parameters and 4.7 GFLOPs, ResNet-38 19.6 M and 6.5 G, ResNet-50 25.6 M
 * and 8.2 G. The paper does not say how it counts FLOPs. Vista's {@code 2 x MACs} gives 4.68, 6.43 and
 * 8.18 G for these three networks: close for ResNet-26 and -50, 0.07 G short for ResNet-38, so the
 * convention is not settled by the figures alone.
 *
 * <p>The same table gives the SASA-ResNets ("conv-stem + attention"): SASA-ResNet-26 10.3 M parameters
 * and 4.5 GFLOPs, -38 14.1 M and 5.7 G, -50 18.0 M and 7.0 G. These FLOPs are reproduced by
 * {@code 2 x MACs} only if the positional logits q·r of each attention layer count as a full
 * {@code k² C} product per pixel, as if each logit were {@code q·(k + r)}; Vista counts them as
 * {@code k C} (the row and column halves meet k embeddings each), so its summary shows both
 * ({@link ModelSummary#paperFlops()}).
 *
 * <p>And the "full attention" SASA-ResNets, with the attention stem: -26 10.3 M and 4.7 G, -38 14.1 M
 * and 6.0 G, -50 18.0 M and 7.2 G. Vista's full models have 8,064 parameters fewer than its conv-stem
 * ones (the stem's 1,456 against the 7x7 convolution's 9,408), the same to the printed digit. Their
 * FLOPs are reproduced (4.70, 5.94, 7.18 G) if, besides the positional logits above, the stem's values
 * count as all four value projections followed by their mixture per pixel ({@link
 * vista.nn.sasa.AttentionStem#paperCost}); Vista forms the four mixed matrices once and projects each pixel
 * once. 5.94 G against 6.0 G is no contradiction: the three ResNet-38 rows (baseline 6.43 against 6.5,
 * conv-stem 5.73 against 5.7, full 5.94 against 6.0) all fit one count 0.019 to 0.025 G above Vista's.
 *
 * <p>SAN (Zhao, Jia and Koltun 2020) gives its networks' size and cost in the README of the official
 * code (the paper's table): pairwise SAN10/15/19 10.5 M, 14.1 M and 17.6 M parameters and 2.2, 3.0
 * and 3.8 G, patchwise 11.8 M, 16.2 M and 20.5 M and 1.9, 2.6 and 3.3 G. Those "Flops" are what the
 * official counter ({@code util/complexity.py}) prints as GMac: multiply-adds of convolutions (with one
 * more per output for a bias) and linear layers, plus two per element of each BatchNorm, one per
 * element of each ReLU call and of each pool's input, one per element of each subtraction, and
 * k² per output element of each aggregation. That is Vista's MACs plus its other ops, once the
 * attention blocks' subtractions and aggregations are layers ({@link Measure#SAN_COUNTER}).
 *
 * @param source  where the figures come from
 * @param params  parameters
 * @param cost    the paper's cost figure, in {@code measure}
 * @param measure what {@code cost} counts
 * @param note    what the reader should know about the comparison
 */
public record PaperFigures(String source, double params, double cost, Measure measure, String note) {
    /** What a paper's cost figure counts. */
    public enum Measure {
        /** FLOPs, compared with Vista's 2 x MACs (SASA's table). */
        FLOPS,
        /** The official SAN counter's multiply-adds, compared with Vista's MACs + other ops. */
        SAN_COUNTER
    }

    private static final String SASA = "SASA (Ramachandran et al. 2019), Table 1";
    private static final String UNCLEAR = "the paper does not state its FLOP convention";
    private static final String POSITIONAL = "the paper does not state its FLOP convention; its figures are "
            + "2 x MACs with the attention's positional logits q·r counted as k·k·C per pixel (FLOPs, paper's count)";
    private static final String FULL = "the paper does not state its FLOP convention; its figures are 2 x MACs "
            + "with the attention's positional logits q·r counted as k·k·C per pixel and the attention stem's values "
            + "as four projections mixed per pixel (FLOPs, paper's count)";
    private static final String SAN = "SAN (Zhao, Jia and Koltun 2020), the official code's README";
    private static final String SAN_COUNT = "its 'Flops' are the official counter's GMac, which counts BatchNorm, "
            + "ReLU, pooling, bias and subtraction elements as well as multiply-adds: compare with MACs + other ops";
    private static final Map<String, PaperFigures> TABLES = inTableOrder(
            Map.entry("resnet26", sasa(13.7e6, 4.7e9, UNCLEAR)),
            Map.entry("resnet38", sasa(19.6e6, 6.5e9, UNCLEAR)),
            Map.entry("resnet50", sasa(25.6e6, 8.2e9, UNCLEAR)),
            Map.entry("sasa-resnet26", sasa(10.3e6, 4.5e9, POSITIONAL)),
            Map.entry("sasa-resnet38", sasa(14.1e6, 5.7e9, POSITIONAL)),
            Map.entry("sasa-resnet50", sasa(18.0e6, 7.0e9, POSITIONAL)),
            Map.entry("sasa-resnet26-full", sasa(10.3e6, 4.7e9, FULL)),
            Map.entry("sasa-resnet38-full", sasa(14.1e6, 6.0e9, FULL)),
            Map.entry("sasa-resnet50-full", sasa(18.0e6, 7.2e9, FULL)),
            Map.entry("san10-pairwise", san(10.5e6, 2.2e9)),
            Map.entry("san15-pairwise", san(14.1e6, 3.0e9)),
            Map.entry("san19-pairwise", san(17.6e6, 3.8e9)),
            Map.entry("san10-patchwise", san(11.8e6, 1.9e9)),
            Map.entry("san15-patchwise", san(16.2e6, 2.6e9)),
            Map.entry("san19-patchwise", san(20.5e6, 3.3e9)));

    @SafeVarargs
    private static Map<String, PaperFigures> inTableOrder(Map.Entry<String, PaperFigures>... rows) {
        Map<String, PaperFigures> tables = new LinkedHashMap<>();
        for (Map.Entry<String, PaperFigures> row : rows) {
            tables.put(row.getKey(), row.getValue());
        }
        return tables;
    }

    private static PaperFigures sasa(double params, double flops, String note) {
        return new PaperFigures(SASA, params, flops, Measure.FLOPS, note);
    }

    private static PaperFigures san(double params, double counterMacs) {
        return new PaperFigures(SAN, params, counterMacs, Measure.SAN_COUNTER, SAN_COUNT);
    }

    /**
     * The published figures for {@code model} on images of shape {@code image} with {@code classes}
     * classes, if a paper gives them for exactly that setting (both papers: 3 x 224 x 224, 1000 classes).
     */
    public static Optional<PaperFigures> find(String model, Shape image, int classes) {
        boolean imagenet = image.equals(Shape.of(3, 224, 224)) && classes == 1000;
        return imagenet ? Optional.ofNullable(TABLES.get(model)) : Optional.empty();
    }

    /** The models the papers give figures for, in the order of their tables: SASA's, then SAN's. */
    public static List<String> models() {
        return List.copyOf(TABLES.keySet());
    }

    /** What {@link #find} covers, for the remark printed when it finds nothing. */
    public static String coverage() {
        return SASA + " covers resnet26, resnet38, resnet50, sasa-resnet26, sasa-resnet38, sasa-resnet50 and "
                + "sasa-resnet26-full, sasa-resnet38-full, sasa-resnet50-full; " + SAN + " covers san10, san15 and "
                + "san19, pairwise and patchwise; both at 3x224x224 with 1000 classes only";
    }
}

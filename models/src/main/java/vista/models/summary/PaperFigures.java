package vista.models.summary;

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
 * vista.nn.AttentionStem#paperCost}); Vista forms the four mixed matrices once and projects each pixel
 * once. 5.94 G against 6.0 G is no contradiction: the three ResNet-38 rows (baseline 6.43 against 6.5,
 * conv-stem 5.73 against 5.7, full 5.94 against 6.0) all fit one count 0.019 to 0.025 G above Vista's.
 *
 * @param source where the figures come from
 * @param params parameters
 * @param flops  FLOPs, in the paper's (unstated) convention
 * @param note   what the reader should know about the comparison
 */
public record PaperFigures(String source, double params, double flops, String note) {
    private static final String SASA = "SASA (Ramachandran et al. 2019), Table 1";
    private static final String UNCLEAR = "the paper does not state its FLOP convention";
    private static final String POSITIONAL = "the paper does not state its FLOP convention; its figures are "
            + "2 x MACs with the attention's positional logits q·r counted as k·k·C per pixel (FLOPs, paper's count)";
    private static final String FULL = "the paper does not state its FLOP convention; its figures are 2 x MACs "
            + "with the attention's positional logits q·r counted as k·k·C per pixel and the attention stem's values "
            + "as four projections mixed per pixel (FLOPs, paper's count)";
    private static final Map<String, PaperFigures> SASA_TABLE_1 = Map.of(
            "resnet26", new PaperFigures(SASA, 13.7e6, 4.7e9, UNCLEAR),
            "resnet38", new PaperFigures(SASA, 19.6e6, 6.5e9, UNCLEAR),
            "resnet50", new PaperFigures(SASA, 25.6e6, 8.2e9, UNCLEAR),
            "sasa-resnet26", new PaperFigures(SASA, 10.3e6, 4.5e9, POSITIONAL),
            "sasa-resnet38", new PaperFigures(SASA, 14.1e6, 5.7e9, POSITIONAL),
            "sasa-resnet50", new PaperFigures(SASA, 18.0e6, 7.0e9, POSITIONAL),
            "sasa-resnet26-full", new PaperFigures(SASA, 10.3e6, 4.7e9, FULL),
            "sasa-resnet38-full", new PaperFigures(SASA, 14.1e6, 6.0e9, FULL),
            "sasa-resnet50-full", new PaperFigures(SASA, 18.0e6, 7.2e9, FULL));

    /**
     * The published figures for {@code model} on images of shape {@code image} with {@code classes}
     * classes, if a paper gives them for exactly that setting (SASA's table: 3 x 224 x 224, 1000 classes).
     */
    public static Optional<PaperFigures> find(String model, Shape image, int classes) {
        boolean imagenet = image.equals(Shape.of(3, 224, 224)) && classes == 1000;
        return imagenet ? Optional.ofNullable(SASA_TABLE_1.get(model)) : Optional.empty();
    }

    /** What {@link #find} covers, for the remark printed when it finds nothing. */
    public static String coverage() {
        return SASA + " covers resnet26, resnet38, resnet50, sasa-resnet26, sasa-resnet38, sasa-resnet50 and "
                + "sasa-resnet26-full, sasa-resnet38-full, sasa-resnet50-full at 3x224x224 with 1000 classes only";
    }
}

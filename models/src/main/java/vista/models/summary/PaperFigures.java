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
 * @param source where the figures come from
 * @param params parameters
 * @param flops  FLOPs, in the paper's (unstated) convention
 * @param note   what the reader should know about the comparison
 */
public record PaperFigures(String source, double params, double flops, String note) {
    private static final String SASA = "SASA (Ramachandran et al. 2019), Table 1";
    private static final String UNCLEAR = "the paper does not state its FLOP convention";
    private static final Map<String, PaperFigures> SASA_TABLE_1 = Map.of(
            "resnet26", new PaperFigures(SASA, 13.7e6, 4.7e9, UNCLEAR),
            "resnet38", new PaperFigures(SASA, 19.6e6, 6.5e9, UNCLEAR),
            "resnet50", new PaperFigures(SASA, 25.6e6, 8.2e9, UNCLEAR));

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
        return SASA + " covers resnet26, resnet38 and resnet50 at 3x224x224 with 1000 classes only";
    }
}

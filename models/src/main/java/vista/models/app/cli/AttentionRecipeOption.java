package vista.models.app.cli;

import picocli.CommandLine.Option;
import vista.models.zoo.AttentionRecipe;

/**
 * {@code --attention-recipe tuned|lineage|paper}: how the SASA network that weights of a file are loaded into
 * scales its logits ({@link AttentionRecipe}; tuned and lineage scale alike and differ only in initialisation);
 * weights trained with the paper's formula (such as the PyTorch peer's, which has no scale) need
 * {@code paper}. Other networks ignore it.
 */
final class AttentionRecipeOption {
    @Option(names = "--attention-recipe", defaultValue = "tuned", paramLabel = "tuned|lineage|paper",
            description = "For SASA weights: tuned (default) or lineage (logits scaled by 1/sqrt(dh)), or paper (no"
                    + " scale, as PyTorch's reference definition).")
    String label;

    /** What is wrong with the value, or null. */
    String problem() {
        try {
            AttentionRecipe.named(label);
            return null;
        } catch (IllegalArgumentException e) {
            return "--attention-recipe: " + e.getMessage() + ".";
        }
    }

    AttentionRecipe recipe() {
        return AttentionRecipe.named(label);
    }
}

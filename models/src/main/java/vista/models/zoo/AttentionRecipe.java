package vista.models.zoo;

import java.util.Locale;

/**
 * How a SASA network's attention is scaled and its residual blocks start: the two choices the SASA paper
 * leaves to its code base, and that decide whether the network trains as well as the ResNet it replaces.
 *
 * <ul>
 *   <li>{@link #LINEAGE} (the default): every attention logit (the SASA layers' and the attention stem's)
 *       is multiplied by {@code 1/sqrt(dh)}, as in the code the paper's attention descends from
 *       (tensor2tensor's {@code multihead_attention_2d} scales the query by {@code dh^-1/2} before the
 *       content and the relative logits), and the last BatchNorm of every bottleneck starts with scale
 *       γ = 0, so that each residual branch starts silent and the block as the identity (the Cloud TPU
 *       ResNet code and tensor2tensor's copy of it start that BatchNorm at zero with {@code init_zero};
 *       Goyal et al. 2017; torchvision's {@code zero_init_residual}).</li>
 *   <li>{@link #PAPER}: the paper's formula as printed, with no scale, and every BatchNorm starting at
 *       γ = 1; what Vista's SASA networks were before (runs recorded without this choice are PAPER).</li>
 * </ul>
 * Why it matters, measured (README, SASA; {@code AttentionRecipeTest}): at initialisation a PAPER
 * {@code sasa-resnet26-mini} passes the loss's gradient back to its input about 160 times larger than
 * {@code resnet26-mini} does, the first SGD steps blow the first stage's weights up a hundredfold and its
 * softmax saturates to one neighbour for good. Zero-initialised residual branches remove the
 * amplification (LINEAGE's input gradient is a tenth of the ResNet's); the scale keeps the logits of the
 * deeper layers from saturating.
 */
public enum AttentionRecipe {
    LINEAGE,
    PAPER;

    /** The recipe named {@code lineage} or {@code paper}. */
    public static AttentionRecipe named(String name) {
        for (AttentionRecipe recipe : values()) {
            if (recipe.label().equals(name)) {
                return recipe;
            }
        }
        throw new IllegalArgumentException("unknown attention recipe '" + name + "'; the recipes are lineage (the"
                + " default: scaled logits, zero-initialised residual branches) and paper (the formula as printed)");
    }

    /** {@code lineage} or {@code paper}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether attention logits are multiplied by {@code 1/sqrt(dh)}. */
    public boolean scaledLogits() {
        return this == LINEAGE;
    }

    /** Whether every bottleneck's last BatchNorm starts with γ = 0. */
    public boolean zeroInitResidual() {
        return this == LINEAGE;
    }
}

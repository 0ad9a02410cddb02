package vista.models.zoo;

import java.util.Locale;

/**
 * How a SASA network's attention is scaled, its relative embeddings start and its residual blocks start: the
 * choices the SASA paper leaves to its code base, and that decide whether the network trains as well as the
 * ResNet it replaces.
 *
 * <ul>
 *   <li>{@link #TUNED} (the default): {@link #LINEAGE}'s two choices, and the relative embeddings drawn from
 *       {@code N(0, 1)} as public PyTorch re-implementations of SASA draw them, rather than
 *       {@code N(0, 1/dh)} (tensor2tensor, the peer). Chosen by measurement (README, SASA): after 5 epochs of
 *       the same recipe on Fashion-MNIST, {@code sasa-resnet26-mini} reaches 91.04% against 90.42% with
 *       LINEAGE and 91.90% for {@code resnet26-mini}, and skips LINEAGE's stall in epoch 2 (82.5% against
 *       77.5%).</li>
 *   <li>{@link #LINEAGE}: every attention logit (the SASA layers' and the attention stem's) is multiplied
 *       by {@code 1/sqrt(dh)}, as in the code the paper's attention descends from (tensor2tensor's
 *       {@code multihead_attention_2d} scales the query by {@code dh^-1/2} before the content and the
 *       relative logits), and the last BatchNorm of every bottleneck starts with scale γ = 0, so that each
 *       residual branch starts silent and the block as the identity (the Cloud TPU ResNet code and
 *       tensor2tensor's copy of it start that BatchNorm at zero with {@code init_zero}; Goyal et al. 2017;
 *       torchvision's {@code zero_init_residual}). The default of runs recorded before TUNED existed.</li>
 *   <li>{@link #PAPER}: the paper's formula as printed, with no scale, and every BatchNorm starting at
 *       γ = 1; what Vista's SASA networks were before (runs recorded without a recipe are PAPER).</li>
 * </ul>
 * Why it matters, measured (README, SASA; {@code AttentionRecipeTest}): at initialisation a PAPER
 * {@code sasa-resnet26-mini} passes the loss's gradient back to its input about 160 times larger than
 * {@code resnet26-mini} does, the first SGD steps blow the first stage's weights up a hundredfold and its
 * softmax saturates to one neighbour for good. Zero-initialised residual branches remove the
 * amplification (LINEAGE's input gradient is a tenth of the ResNet's); the scale keeps the logits of the
 * deeper layers from saturating. Only the scale changes what a network computes from given weights; the
 * other two choices are initialisations, so weights trained under TUNED and LINEAGE load alike.
 */
public enum AttentionRecipe {
    TUNED,
    LINEAGE,
    PAPER;

    /** The recipe named {@code lineage} or {@code paper}. */
    public static AttentionRecipe named(String name) {
        for (AttentionRecipe recipe : values()) {
            if (recipe.label().equals(name)) {
                return recipe;
            }
        }
        throw new IllegalArgumentException("unknown attention recipe '" + name + "'; the recipes are tuned (the"
                + " default: scaled logits, zero-initialised residual branches, unit relative embeddings), lineage"
                + " (the same with embeddings N(0, 1/dh)) and paper (the formula as printed)");
    }

    /** {@code tuned}, {@code lineage} or {@code paper}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether attention logits are multiplied by {@code 1/sqrt(dh)}. */
    public boolean scaledLogits() {
        return this != PAPER;
    }

    /** Whether every bottleneck's last BatchNorm starts with γ = 0. */
    public boolean zeroInitResidual() {
        return this != PAPER;
    }

    /** Whether the relative embeddings start {@code N(0, 1)} rather than {@code N(0, 1/dh)}. */
    public boolean unitEmbeddings() {
        return this == TUNED;
    }
}

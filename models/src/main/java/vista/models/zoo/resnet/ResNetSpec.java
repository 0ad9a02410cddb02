package vista.models.zoo.resnet;

import java.util.Arrays;
import vista.tensor.geometry.LocalAttentionWindow.Border;

/**
 * The architecture of a bottleneck ResNet (torchvision's "v1.5": the stride sits on the 3x3 conv), or of
 * a SASA-ResNet (the same with every 3x3 conv replaced by local self-attention), in the vocabulary of the
 * PyTorch fixtures' model specs (families {@code resnet} and {@code sasa_resnet}).
 *
 * @param inChannels     channels of the input image
 * @param numClasses     outputs of the final linear layer
 * @param stem           what turns the image into the first stage's input: the convolution {@link Stem}
 *                       (conv, BatchNorm, ReLU, optional max pool) or SASA's {@link SelfAttentionStem}
 *                       (attention, BatchNorm, ReLU, max pool)
 * @param blocksPerStage bottleneck blocks in each stage ({@code layer1}, {@code layer2}, ...)
 * @param midWidths      the bottleneck width m of each stage; a block outputs {@code expansion * m}
 * @param strides        the stride of the first block of each stage
 * @param expansion      output width over bottleneck width (4 in every ResNet here)
 * @param zeroInitLastNorm start each block's last BatchNorm scale at 0, so every residual branch starts
 *                       as the identity (an option in torchvision; off in the papers' baselines)
 * @param spatial        the spatial layer in the middle of every bottleneck: the 3x3 convolution of the
 *                       ResNet, or SASA's local self-attention, which turns the ResNet into a SASA-ResNet
 */
public record ResNetSpec(int inChannels, int numClasses, StemChoice stem, int[] blocksPerStage, int[] midWidths,
                         int[] strides, int expansion, boolean zeroInitLastNorm, Spatial spatial) {

    /**
     * The spatial layer of the bottlenecks ({@code conv2}): what mixes information between neighbouring
     * pixels, the one place where a SASA-ResNet differs from a ResNet.
     */
    public sealed interface Spatial {
        /** The ResNet's 3x3 convolution {@code m -> m}, padding 1, with the block's stride. */
        record Convolution3x3() implements Spatial {
        }

        /**
         * SASA's {@link vista.nn.sasa.LocalSelfAttention2d} {@code m -> m} with the block's stride (2 = 2x2
         * average pooling after the attention).
         *
         * @param kernel       the side of the attention window, odd (7 in the paper)
         * @param heads        attention heads; every stage's width must split into heads of an even size
         * @param border       what lies outside the image ({@link Border#MASK} in Vista's SASA models)
         * @param scaledLogits   whether the logits are multiplied by {@code 1/sqrt(dh)} (not in the paper)
         * @param unitEmbeddings whether the relative embeddings start {@code N(0, 1)} rather than {@code N(0, 1/dh)}
         */
        record SelfAttention(int kernel, int heads, Border border, boolean scaledLogits, boolean unitEmbeddings)
                implements Spatial {
        }

        /** The plain ResNet's 3x3 convolution. */
        static Spatial convolution3x3() {
            return new Convolution3x3();
        }

        /** SASA's attention with a {@code kernel x kernel} window, unscaled logits. */
        static Spatial selfAttention(int kernel, int heads, Border border) {
            return new SelfAttention(kernel, heads, border, false, false);
        }
    }

    /**
     * The stem of the network, before {@code layer1}: the ResNet's convolution ({@link Stem}) or the
     * attention stem of SASA's "full attention" models ({@link SelfAttentionStem}).
     */
    public sealed interface StemChoice permits Stem, SelfAttentionStem {
        /** The channels the stem hands to the first stage. */
        int outChannels();
    }

    /**
     * The convolution stem: conv (no bias) {@code inChannels -> outChannels}, BatchNorm, ReLU, then a max
     * pool if {@code maxPool} ({@code 3x3}, stride 2, padding 1).
     */
    public record Stem(int outChannels, int kernel, int stride, int padding, boolean maxPool) implements StemChoice {
        /** The ImageNet stem: 7x7 stride-2 conv to 64 channels, then the 3x3 stride-2 max pool (224 -> 56). */
        public static Stem imagenet() {
            return new Stem(64, 7, 2, 3, true);
        }

        /** For 28x28 and 32x32 images: a 3x3 stride-1 conv to 64 channels, no max pool. */
        public static Stem small() {
            return new Stem(64, 3, 1, 1, false);
        }
    }

    /**
     * SASA's attention stem ({@link vista.nn.sasa.AttentionStem}): self-attention with spatially aware values
     * inside each {@code block x block} block of the image, {@code inChannels -> outChannels}, then
     * BatchNorm, ReLU and a {@code block x block} max pool with stride {@code block}, the attention's
     * blocks being the pool's windows. The image's height and width must be multiples of {@code block}.
     *
     * @param outChannels    channels of the attention and of the first stage's input
     * @param block          the side of the attention blocks and of the max pool
     * @param heads          attention heads
     * @param mixtures       value matrices mixed by the position inside the block
     * @param relativeLogits whether the logits have the SASA layer's relative term q·r
     * @param scaledLogits   whether the logits are multiplied by {@code 1/sqrt(dh)} (not in the paper)
     */
    public record SelfAttentionStem(int outChannels, int block, int heads, int mixtures, boolean relativeLogits,
                                    boolean scaledLogits) implements StemChoice {
        /**
         * The paper's stem for 224 x 224 images: 64 channels, 4x4 blocks and max pool (224 -> 56, as the
         * convolution stem), 4 heads, 4 mixtures, relative logits (see {@link vista.nn.sasa.AttentionStem} for
         * where each choice comes from).
         */
        public static SelfAttentionStem imagenet() {
            return new SelfAttentionStem(64, 4, 4, 4, true, false);
        }

        /** This stem with its logits multiplied by {@code 1/sqrt(dh)} or not. */
        public SelfAttentionStem withScaledLogits(boolean scaled) {
            return new SelfAttentionStem(outChannels, block, heads, mixtures, relativeLogits, scaled);
        }
    }

    public ResNetSpec {
        if (blocksPerStage.length == 0 || blocksPerStage.length != midWidths.length || midWidths.length != strides.length) {
            throw new IllegalArgumentException("ResNetSpec: blocksPerStage " + Arrays.toString(blocksPerStage)
                    + ", midWidths " + Arrays.toString(midWidths) + " and strides " + Arrays.toString(strides)
                    + " must be non-empty and of equal length (one entry per stage)");
        }
        for (int i = 0; i < blocksPerStage.length; i++) {
            if (blocksPerStage[i] < 1 || midWidths[i] < 1 || strides[i] < 1) {
                throw new IllegalArgumentException("ResNetSpec: stage " + (i + 1) + " needs at least one block, "
                        + "a width >= 1 and a stride >= 1");
            }
        }
        if (inChannels < 1 || numClasses < 1 || expansion < 1) {
            throw new IllegalArgumentException("ResNetSpec: inChannels, numClasses and expansion must be >= 1");
        }
        if (stem == null) {
            throw new IllegalArgumentException("ResNetSpec: the stem must be given (Stem.imagenet(), Stem.small() or "
                    + "SelfAttentionStem.imagenet())");
        }
        if (spatial == null) {
            throw new IllegalArgumentException("ResNetSpec: the spatial layer must be given (Spatial.convolution3x3() "
                    + "for a plain ResNet)");
        }
        blocksPerStage = blocksPerStage.clone();
        midWidths = midWidths.clone();
        strides = strides.clone();
    }

    /** A plain ResNet: the bottlenecks' spatial layer is the 3x3 convolution. */
    public ResNetSpec(int inChannels, int numClasses, StemChoice stem, int[] blocksPerStage, int[] midWidths,
            int[] strides, int expansion, boolean zeroInitLastNorm) {
        this(inChannels, numClasses, stem, blocksPerStage, midWidths, strides, expansion, zeroInitLastNorm,
                Spatial.convolution3x3());
    }

    /**
     * Why an image side of {@code side} pixels cannot pass through this network, as a phrase, or null if
     * it can. Convolutions and max pools round down and take any side; the attention stem needs a multiple
     * of its block; a strided SASA layer (attention, then average pooling) needs a multiple of its stride,
     * because the shortcut's strided 1x1 convolution rounds up where the pooling rounds down.
     */
    public String sideProblem(int side) {
        int s = side;
        switch (stem) {
            case Stem c -> {
                s = (s + 2 * c.padding() - c.kernel()) / c.stride() + 1;
                s = c.maxPool() ? (s - 1) / 2 + 1 : s;
            }
            case SelfAttentionStem a -> {
                if (s % a.block() != 0) {
                    return "the attention stem works on " + a.block() + "x" + a.block() + " blocks, so it needs a"
                            + " side that is a multiple of " + a.block();
                }
                s /= a.block();
            }
        }
        for (int i = 0; i < strides.length; i++) {
            if (spatial instanceof Spatial.SelfAttention && s % strides[i] != 0) {
                return "stage " + (i + 1) + "'s stride-" + strides[i] + " attention (then " + strides[i] + "x"
                        + strides[i] + " average pooling) needs a side that is a multiple of " + strides[i]
                        + ", and it gets " + s;
            }
            s = spatial instanceof Spatial.SelfAttention ? s / strides[i] : (s - 1) / strides[i] + 1;
        }
        return null;
    }

    /** This architecture with {@code spatial} as the bottlenecks' spatial layer. */
    public ResNetSpec withSpatial(Spatial spatial) {
        return new ResNetSpec(inChannels, numClasses, stem, blocksPerStage, midWidths, strides, expansion,
                zeroInitLastNorm, spatial);
    }

    /** This specification with each block's last BatchNorm starting at γ = 0 or not. */
    public ResNetSpec withZeroInitLastNorm(boolean zero) {
        return new ResNetSpec(inChannels, numClasses, stem, blocksPerStage, midWidths, strides, expansion, zero,
                spatial);
    }

    /**
     * The standard four-stage ResNet with the given blocks per stage: widths 64, 128, 256, 512 (x4
     * expansion), strides 1, 2, 2, 2.
     */
    public static ResNetSpec standard(int[] blocksPerStage, StemChoice stem, int inChannels, int numClasses) {
        return new ResNetSpec(inChannels, numClasses, stem, blocksPerStage, new int[] {64, 128, 256, 512},
                new int[] {1, 2, 2, 2}, 4, false);
    }

    @Override
    public int[] blocksPerStage() {
        return blocksPerStage.clone();
    }

    @Override
    public int[] midWidths() {
        return midWidths.clone();
    }

    @Override
    public int[] strides() {
        return strides.clone();
    }
}

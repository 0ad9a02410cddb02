package vista.models.resnet;

import java.util.Arrays;

/**
 * The architecture of a bottleneck ResNet (torchvision's "v1.5": the stride sits on the 3x3 conv), in
 * the vocabulary of the PyTorch fixtures' model specs.
 *
 * @param inChannels     channels of the input image
 * @param numClasses     outputs of the final linear layer
 * @param stem           the first convolution (and optional max pool)
 * @param blocksPerStage bottleneck blocks in each stage ({@code layer1}, {@code layer2}, ...)
 * @param midWidths      the bottleneck width m of each stage; a block outputs {@code expansion * m}
 * @param strides        the stride of the first block of each stage
 * @param expansion      output width over bottleneck width (4 in every ResNet here)
 * @param zeroInitLastNorm start each block's last BatchNorm scale at 0, so every residual branch starts
 *                       as the identity (an option in torchvision; off in the papers' baselines)
 */
public record ResNetSpec(int inChannels, int numClasses, Stem stem, int[] blocksPerStage, int[] midWidths,
                         int[] strides, int expansion, boolean zeroInitLastNorm) {

    /**
     * The stem: conv (no bias) {@code inChannels -> outChannels}, BatchNorm, ReLU, then a max pool if
     * {@code maxPool} ({@code 3x3}, stride 2, padding 1).
     */
    public record Stem(int outChannels, int kernel, int stride, int padding, boolean maxPool) {
        /** The ImageNet stem: 7x7 stride-2 conv to 64 channels, then the 3x3 stride-2 max pool (224 -> 56). */
        public static Stem imagenet() {
            return new Stem(64, 7, 2, 3, true);
        }

        /** For 28x28 and 32x32 images: a 3x3 stride-1 conv to 64 channels, no max pool. */
        public static Stem small() {
            return new Stem(64, 3, 1, 1, false);
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
        blocksPerStage = blocksPerStage.clone();
        midWidths = midWidths.clone();
        strides = strides.clone();
    }

    /**
     * The standard four-stage ResNet with the given blocks per stage: widths 64, 128, 256, 512 (x4
     * expansion), strides 1, 2, 2, 2.
     */
    public static ResNetSpec standard(int[] blocksPerStage, Stem stem, int inChannels, int numClasses) {
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

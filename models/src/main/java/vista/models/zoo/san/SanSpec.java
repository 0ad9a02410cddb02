package vista.models.zoo.san;

import java.util.Arrays;
import vista.nn.Module;
import vista.nn.san.PairwiseSelfAttention2d;
import vista.nn.san.PatchwiseSelfAttention2d;
import vista.nn.san.SanAttentionShape;
import vista.tensor.Rng;
import vista.tensor.geometry.Footprint;

/**
 * The architecture of a SAN (Zhao, Jia and Koltun 2020; the official {@code model/san.py}), in the
 * vocabulary of the PyTorch fixtures' model specs (family {@code san}): a 1x1 stem, then stages that
 * each start with an optional 2x2 max pool and a 1x1 transition, hold {@link SanBottleneck}s, and end
 * with BatchNorm and ReLU; then global average pooling and a linear head.
 *
 * @param attention      the attention of every block: {@link Attention.Pairwise} or {@link Attention.Patchwise}
 * @param inChannels     channels of the input image
 * @param numClasses     outputs of the linear head
 * @param stemWidth      output channels of the stem ({@code conv_in}); 64 in the paper
 * @param blocksPerStage bottlenecks in each stage ({@code layer0}, {@code layer1}, ...)
 * @param widths         channels of each stage; a block of width c has relation channels c/16, c/4
 *                       attention channels and share planes 8
 * @param footprints     the footprint side k of each stage (3, 7, 7, 7, 7 in the paper)
 * @param pools          whether a 2x2 max pool starts each stage (all true in the paper)
 * @param padding        what neighbours outside the image read (reflection in the paper)
 */
public record SanSpec(Attention attention, int inChannels, int numClasses, int stemWidth, int[] blocksPerStage,
                      int[] widths, int[] footprints, boolean[] pools, Footprint.Padding padding) {

    /** The attention of a SAN's blocks: the block type and its relation function. */
    public sealed interface Attention {
        /** The block for one stage, from its sizes. */
        Module block(SanAttentionShape shape, Rng rng);

        /** "pairwise" or "patchwise". */
        String kind();

        /** Pairwise attention (eq. 2 of the paper) relating pixels by {@code relation}. */
        record Pairwise(PairwiseSelfAttention2d.Relation relation) implements Attention {
            @Override
            public Module block(SanAttentionShape shape, Rng rng) {
                return new PairwiseSelfAttention2d(shape, relation, rng);
            }

            @Override
            public String kind() {
                return "pairwise";
            }
        }

        /** Patchwise attention (eq. 4 of the paper) combining each patch by {@code relation}. */
        record Patchwise(PatchwiseSelfAttention2d.Relation relation) implements Attention {
            @Override
            public Module block(SanAttentionShape shape, Rng rng) {
                return new PatchwiseSelfAttention2d(shape, relation, rng);
            }

            @Override
            public String kind() {
                return "patchwise";
            }
        }

        /** The official pairwise block (subtraction relation). */
        static Attention pairwise() {
            return new Pairwise(PairwiseSelfAttention2d.Relation.SUBTRACTION);
        }

        /** The official patchwise block (concatenation relation). */
        static Attention patchwise() {
            return new Patchwise(PatchwiseSelfAttention2d.Relation.CONCATENATION);
        }
    }

    public SanSpec {
        int stages = blocksPerStage.length;
        if (stages == 0 || widths.length != stages || footprints.length != stages || pools.length != stages) {
            throw new IllegalArgumentException("SanSpec: blocks per stage, widths, footprints and pools need one entry"
                    + " per stage, got " + Arrays.toString(blocksPerStage) + ", " + Arrays.toString(widths) + ", "
                    + Arrays.toString(footprints) + " and " + Arrays.toString(pools));
        }
        for (int width : widths) {
            if (width < 32 || width % 32 != 0) {
                throw new IllegalArgumentException("SanSpec: every stage width must be a multiple of 32 (its blocks "
                        + "have width/16 relation channels and width/4 attention channels in groups of 8), got "
                        + Arrays.toString(widths));
            }
        }
        blocksPerStage = blocksPerStage.clone();
        widths = widths.clone();
        footprints = footprints.clone();
        pools = pools.clone();
    }

    /** The paper's SAN at 224x224: stem 64, widths 64/256/512/1024/2048, footprints 3/7/7/7/7, every stage pooled. */
    public static SanSpec imagenet(Attention attention, int[] blocksPerStage, int inChannels, int numClasses) {
        return new SanSpec(attention, inChannels, numClasses, 64, blocksPerStage, new int[] {64, 256, 512, 1024, 2048},
                new int[] {3, 7, 7, 7, 7}, new boolean[] {true, true, true, true, true}, Footprint.Padding.REFLECT);
    }

    /**
     * The small-input SAN for 28x28 and 32x32 images (the peer's {@code san10_*_mini}): stem 32, widths
     * 32/64/128/256/512, footprints 3/7/7/7/7, and max pools before stages 1 and 2 only, so the feature
     * maps are 28, 14, 7, 7, 7 pixels (32, 16, 8, 8, 8). The paper's five pools would shrink a 28x28
     * image to 1x1 after the fourth stage, where a 7x7 footprint has nothing to attend to and reflection
     * padding is impossible; keeping the last three stages at 7x7 leaves every footprint of 7 a full
     * image of neighbours (pad 3 < 7).
     */
    public static SanSpec small(Attention attention, int[] blocksPerStage, int inChannels, int numClasses) {
        return new SanSpec(attention, inChannels, numClasses, 32, blocksPerStage, new int[] {32, 64, 128, 256, 512},
                new int[] {3, 7, 7, 7, 7}, new boolean[] {false, true, true, false, false}, Footprint.Padding.REFLECT);
    }

    /**
     * Why an image side of {@code side} pixels cannot pass through this network, as a phrase, or null if
     * it can: each 2x2 max pool halves the side (rounding down) and needs at least 2 pixels, and a k x k
     * footprint with reflection padding reflects (k - 1) / 2 pixels, so it needs more than that.
     */
    public String sideProblem(int side) {
        int s = side;
        for (int i = 0; i < widths.length; i++) {
            if (pools[i]) {
                if (s < 2) {
                    return "stage " + i + "'s 2x2 max pool needs a side of at least 2, and it gets " + s;
                }
                s /= 2;
            }
            int reflected = (footprints[i] - 1) / 2;
            if (padding == Footprint.Padding.REFLECT && reflected >= s) {
                return "stage " + i + "'s " + footprints[i] + "x" + footprints[i] + " footprint reflects " + reflected
                        + " pixels at each border, so it needs a side of at least " + (reflected + 1)
                        + ", and it gets " + s;
            }
        }
        return null;
    }

    /** The same network with footprint {@code size} in every stage after the first (the paper's ablation). */
    public SanSpec withFootprint(int size) {
        int[] sizes = footprints.clone();
        Arrays.fill(sizes, 1, sizes.length, size);
        return new SanSpec(attention, inChannels, numClasses, stemWidth, blocksPerStage, widths, sizes, pools, padding);
    }

    @Override
    public int[] blocksPerStage() {
        return blocksPerStage.clone();
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }

    @Override
    public int[] footprints() {
        return footprints.clone();
    }

    @Override
    public boolean[] pools() {
        return pools.clone();
    }
}

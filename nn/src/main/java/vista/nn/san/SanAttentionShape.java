package vista.nn.san;

import vista.tensor.geometry.Footprint;

/**
 * The sizes of a SAN self-attention block (Zhao, Jia and Koltun 2020; {@code SAM} in the official code):
 * x with {@code inChannels} channels is mapped by φ and ψ ({@code conv1}, {@code conv2}) to
 * {@code relationChannels} = C/r1 channels each, and by β ({@code conv3}) to the {@code outChannels} =
 * C/r2 values that are aggregated; each aggregation weight is shared by {@code sharePlanes} value
 * channels, so γ produces {@code outChannels / sharePlanes} weight channels. The official blocks use
 * r1 = 16, r2 = 4 and share planes 8 ({@link #official}).
 *
 * @param inChannels       channels of x
 * @param relationChannels channels of φ(x) and ψ(x)
 * @param outChannels      channels of β(x) and of the output
 * @param sharePlanes      value channels that share one weight channel; divides outChannels
 * @param footprint        the neighbourhood of each pixel (odd side k; stride 1)
 */
public record SanAttentionShape(int inChannels, int relationChannels, int outChannels, int sharePlanes,
        Footprint footprint) {

    public SanAttentionShape {
        if (footprint == null) {
            throw new IllegalArgumentException("SAN attention: the footprint is required, got null");
        }
        String block = "SAN attention(" + inChannels + "->" + outChannels + ", relation " + relationChannels
                + ", share " + sharePlanes + ", " + footprint + ")";
        if (inChannels < 1 || relationChannels < 1 || outChannels < 1 || sharePlanes < 1) {
            throw new IllegalArgumentException(block + ": channel counts and share planes must be at least 1");
        }
        if (outChannels % sharePlanes != 0) {
            throw new IllegalArgumentException(block + ": " + outChannels + " output channels do not split into groups"
                    + " of " + sharePlanes + " sharing one weight channel; choose a multiple of " + sharePlanes);
        }
        if (footprint.stride() != 1) {
            throw new IllegalArgumentException(block + ": the attention blocks run at stride 1 (the SAN models "
                    + "downsample with max pooling between stages); got stride " + footprint.stride());
        }
    }

    /**
     * The official block of a stage of width c: in c, relation c/16, out {@code mid}, share planes 8,
     * a k x k footprint with reflection padding.
     */
    public static SanAttentionShape official(int inChannels, int outChannels, int footprint) {
        return new SanAttentionShape(inChannels, inChannels / 16, outChannels, 8, Footprint.of(footprint));
    }

    /** The channels of γ's output per neighbour: {@code outChannels / sharePlanes}. */
    public int weightChannels() {
        return outChannels / sharePlanes;
    }

    String describe(String kind, String relation) {
        return kind + "(" + inChannels + "->" + outChannels + ", " + relation + ", relation channels "
                + relationChannels + ", share " + sharePlanes + ", k=" + footprint.size()
                + (footprint.dilation() == 1 ? "" : ", dilation " + footprint.dilation())
                + (footprint.padding() == Footprint.Padding.REFLECT ? "" : ", zero padding") + ")";
    }
}

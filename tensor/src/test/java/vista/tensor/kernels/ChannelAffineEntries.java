package vista.tensor.kernels;

import static vista.tensor.kernels.OpCatalogue.CHANNEL_AFFINE;

import vista.tensor.Tensor;

/** The {@link OpCatalogue}'s entries for channel affine maps. */
final class ChannelAffineEntries {
    private ChannelAffineEntries() {
    }

    /** Rows (N, C, L) for the per-channel affine maps; scale and shift are random per channel. */
    record Affine(int batch, int channels, int positions) {
    }

    /**
     * The per-channel affine steps of batch normalisation ({@link ChannelAffine}): scale, shift and
     * ReLU; a g + b x + k; g kept where x > 0. They have no reference kernel (ChannelAffineTest checks
     * their formulas), so only the thread and width checks run them.
     */
    static OpEntry<Affine> channelAffine() {
        return new OpEntry<Affine>(CHANNEL_AFFINE, "scale, shift and relu", "combine", "keep where positive")
                .inputs((a, rng) -> new Tensor[] {Tensor.randn(rng, a.batch(), a.channels(), a.positions()),
                    Tensor.randn(rng, a.batch(), a.channels(), a.positions()), Tensor.uniform(rng, -2, 2, a.channels()),
                    Tensor.randn(rng, a.channels())})
                .fast((a, x) -> {
                    double[] scale = x[2].toDoubleArray();
                    double[] shift = x[3].toDoubleArray();
                    return new Tensor[] {ChannelAffine.scaleShiftRelu(x[1], scale, shift),
                        ChannelAffine.combine(x[0], scale, x[1], shift, scale),
                        ChannelAffine.keepWherePositive(x[0].copy(), x[1])};
                })
                .threadProblem("planes of 40000", new Affine(4, 5, 40_000))
                .widthProblem("37 positions: two full 16-lane vectors and a tail", new Affine(2, 3, 37));
    }
}

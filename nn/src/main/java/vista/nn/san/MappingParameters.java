package vista.nn.san;

import vista.tensor.Tensor;

/**
 * γ's seven parameters as {@link SanWeightMapping} uses them, its last seven inputs: BN0's
 * γ0 and β0, W2 {@code (C1, C0, 1, 1)} as a {@code (C1, C0)} matrix, BN3's γ3 and β3, W5
 * {@code (C2, C1, 1, 1)} as a {@code (C2, C1)} matrix and b5 {@code (C2)} as a {@code (C2, 1)} column.
 */
final class MappingParameters {
    /** How many parameters γ has. */
    static final int COUNT = 7;

    final Tensor gamma0;
    final Tensor beta0;
    final Tensor w2;
    final Tensor gamma3;
    final Tensor beta3;
    final Tensor w5;
    final Tensor b5;

    /** The parameters of γ, the last {@link #COUNT} of {@code inputs}. */
    MappingParameters(Tensor[] inputs) {
        int offset = inputs.length - COUNT;
        gamma0 = inputs[offset];
        beta0 = inputs[offset + 1];
        w2 = matrix(inputs[offset + 2]);
        gamma3 = inputs[offset + 3];
        beta3 = inputs[offset + 4];
        w5 = matrix(inputs[offset + 5]);
        b5 = inputs[offset + 6].reshape(inputs[offset + 6].numel(), 1);
    }

    private static Tensor matrix(Tensor pointwise) {
        return pointwise.reshape(pointwise.dim(0), pointwise.dim(1));
    }

    /** C0, the channels of δ. */
    int inputs() {
        return w2.dim(1);
    }

    /** C1, the channels between the two 1x1 convolutions. */
    int hidden() {
        return w2.dim(0);
    }

    /** C2, the channels of z. */
    int outputs() {
        return w5.dim(0);
    }
}

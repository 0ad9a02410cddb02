package vista.nn.san;

import vista.autograd.functions.Subtraction2;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;

/**
 * The pairwise block's official relation for {@link SanWeightMapping}, from the inputs (φ(x), ψ(x), p):
 * for pixel i and neighbour j of its footprint,
 * <pre>
 *   δ(x_i, x_j) = [ φ(x_i) - ψ(x_j),  p_i - p_j ]          (C_rel + 2 channels, P = K L positions)
 * </pre>
 * with the position map p {@code (1, 2, H, W)} shared by every sample. Both differences are
 * {@link Subtraction2}'s; backward gives {@code dL/dφ(x)}, {@code dL/dψ(x)} from the first C_rel channels of
 * dL/dδ, and adds to {@code dL/dp} both gradients of the position subtraction of dL/dδ's last two channels,
 * summed over the samples.
 *
 * @param footprint the neighbourhood of each pixel
 */
record SubtractionRelation(Footprint footprint) implements ChunkedRelation {
    @Override
    public int channels(Tensor[] inputs) {
        return inputs[0].dim(1) + 2;
    }

    @Override
    public int positions(Tensor[] inputs) {
        return footprint.neighbours() * inputs[0].dim(2) * inputs[0].dim(3);
    }

    @Override
    public Tensor forward(Tensor[] inputs, int from, int to) {
        Tensor x1 = inputs[0].slice(0, from, to);
        int rel = x1.dim(1);
        Tensor positions = Subtraction2.differences(inputs[2], inputs[2], footprint);
        int[] d = footprint.neighbourShape(x1.shape(), rel + 2).dims();
        Tensor delta = Tensor.zeros(x1.dtype(), Shape.of(d));
        Subtraction2.differencesInto(x1, inputs[1].slice(0, from, to), footprint, delta.slice(1, 0, rel));
        delta.slice(1, rel, rel + 2).copyFrom(positions.expand(d[0], 2, d[2], d[3]));
        return delta.reshape(d[0], d[1], -1);
    }

    @Override
    public void backward(Tensor[] inputs, int from, int to, Tensor gradient, Tensor[] inputGradients) {
        Tensor x1 = inputs[0].slice(0, from, to);
        int rel = x1.dim(1);
        Tensor g = gradient.reshape(to - from, rel + 2, footprint.neighbours(), -1);
        Tensor[] features = Subtraction2.gradients(g.slice(1, 0, rel).contiguous(), x1.shape(), footprint);
        inputGradients[0].slice(0, from, to).copyFrom(features[0]);
        inputGradients[1].slice(0, from, to).copyFrom(features[1]);
        Tensor positions = g.slice(1, rel, rel + 2).sum(new int[] {0}, true);
        Tensor[] p = Subtraction2.gradients(positions, inputs[2].shape(), footprint);
        inputGradients[2] = inputGradients[2].add(p[0]).add(p[1]);
    }
}

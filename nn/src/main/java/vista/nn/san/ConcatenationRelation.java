package vista.nn.san;

import vista.autograd.functions.Neighbourhood;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;

/**
 * The patchwise block's official relation for {@link SanWeightMapping}, from the inputs (φ(x), ψ(x)):
 * for pixel i with footprint R(i) of K neighbours j,
 * <pre>
 *   δ(x_R(i)) = [ φ(x_i), ψ(x_j) for every j in R(i) ]          (C_rel (K + 1) channels, P = L positions)
 * </pre>
 * channel {@code C_rel + c K + j} being neighbour j of ψ's channel c ({@link Neighbourhood}'s layout,
 * PyTorch's unfold order). Backward splits dL/dδ: its first C_rel channels are {@code dL/dφ(x)}, the rest
 * go back through the neighbourhood to {@code dL/dψ(x)}.
 *
 * @param footprint the neighbourhood of each pixel
 */
record ConcatenationRelation(Footprint footprint) implements ChunkedRelation {
    @Override
    public int channels(Tensor[] inputs) {
        return inputs[0].dim(1) * (footprint.neighbours() + 1);
    }

    @Override
    public int positions(Tensor[] inputs) {
        return inputs[0].dim(2) * inputs[0].dim(3);
    }

    @Override
    public Tensor forward(Tensor[] inputs, int from, int to) {
        Tensor centre = inputs[0].slice(0, from, to);
        int b = to - from;
        int pixels = positions(inputs);
        Tensor patch = Neighbourhood.neighbours(inputs[1].slice(0, from, to), footprint);
        return Tensor.concat(1, centre.reshape(b, -1, pixels), patch.reshape(b, -1, pixels));
    }

    @Override
    public void backward(Tensor[] inputs, int from, int to, Tensor gradient, Tensor[] inputGradients) {
        Tensor centre = inputs[0].slice(0, from, to);
        int rel = centre.dim(1);
        inputGradients[0].slice(0, from, to).copyFrom(gradient.slice(1, 0, rel).reshape(centre.dims()));
        Tensor patch = gradient.slice(1, rel, gradient.dim(1)).reshape(to - from, rel, footprint.neighbours(), -1);
        inputGradients[1].slice(0, from, to).copyFrom(Neighbourhood.gradient(patch, centre.shape(), footprint));
    }
}

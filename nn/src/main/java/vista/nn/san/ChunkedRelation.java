package vista.nn.san;

import vista.tensor.Tensor;

/**
 * The relation δ of a SAN block as {@link SanWeightMapping} reads it, a few samples at a time:
 * {@code (b, C0, P)} for C0 channels and P positions per sample, from the relation's inputs (the
 * mapping's first inputs: φ(x), ψ(x) and the position map p for the pairwise block, φ(x) and ψ(x) for
 * the patchwise one; the arrays handed over hold γ's parameters after them), and back from dL/dδ to the
 * gradients of those inputs. The mapping calls {@link #forward} once per chunk and pass, and
 * {@link #backward} once per chunk, in sample order.
 */
public interface ChunkedRelation {
    /** The channels C0 of δ, from the relation's inputs. */
    int channels(Tensor[] inputs);

    /** The positions P of δ per sample, from the relation's inputs. */
    int positions(Tensor[] inputs);

    /** δ of samples {@code [from, to)}: {@code (to - from, C0, P)}. */
    Tensor forward(Tensor[] inputs, int from, int to);

    /**
     * Adds the gradient of the relation's inputs for samples {@code [from, to)}, given
     * {@code gradient = dL/dδ} of those samples, to {@code inputGradients} (zero-filled tensors of the
     * inputs' shapes, one per relation input).
     */
    void backward(Tensor[] inputs, int from, int to, Tensor gradient, Tensor[] inputGradients);
}

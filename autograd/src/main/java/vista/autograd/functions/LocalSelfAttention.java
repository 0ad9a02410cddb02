package vista.autograd.functions;

import vista.autograd.Function;
import vista.autograd.Variable;
import vista.tensor.Tensor;
import vista.tensor.geometry.LocalAttentionWindow;
import vista.tensor.kernels.LocalSelfAttentionKernels;
import vista.tensor.kernels.LocalSelfAttentionKernels.Gradients;

/**
 * SASA's local self-attention (Ramachandran et al. 2019), inputs {@code (q, k, v, relRow, relColumn)}:
 * queries, keys and values {@code (N, C, H, W)}, split into {@code heads} groups of {@code dh} channels,
 * and the relative embeddings {@code (kernel, dh / 2)} shared by all heads. For pixel (i, j), head n and
 * neighbour (a, e) of its {@code kernel x kernel} window:
 * <pre>
 *   logit = s (q · k[neighbour] + q_row · relRow[a] + q_column · relColumn[e])    (q_row, q_column: the halves of q)
 *   p     = softmax of the logits over the window
 *   y     = sum over the window of p v[neighbour]
 * </pre>
 * Backward, with {@code G = dL/dy}: {@code dL/dv += p G}; {@code dL/dp = G · v}; the softmax gives
 * {@code t = s p (dL/dp - sum p dL/dp)}, and t times the other factor of each product of the logit goes
 * to q, k, relRow and relColumn. The window's border mode decides what lies outside the image. The full
 * formulas, and the kernels, are in {@link LocalSelfAttentionKernels}; saved for backward: the five inputs
 * and the attention weights p {@code (N, heads, kernel², H, W)}, so the softmax is not recomputed.
 * {@link #outputAndWeights} computes y and p of raw tensors outside the graph, for looking at p.
 */
public final class LocalSelfAttention extends Function {
    private final LocalAttentionWindow window;

    public LocalSelfAttention(LocalAttentionWindow window) {
        this.window = window;
    }

    /** The local self-attention of queries q, keys k and values v with the relative embeddings. */
    public static Variable apply(Variable q, Variable k, Variable v, Variable relRow, Variable relColumn,
            LocalAttentionWindow window) {
        return new LocalSelfAttention(window).apply(q, k, v, relRow, relColumn);
    }

    /**
     * The output y {@code (N, C, H, W)} and the attention weights p {@code (N, heads, kernel², H, W)} of one
     * pass; p's neighbour index {@code a kernel + e} is the neighbour at offset {@code (a - r, e - r)},
     * {@code r = kernel / 2}, and is 0 for neighbours the border masks out.
     */
    public record OutputAndWeights(Tensor output, Tensor weights) {
    }

    /** y and p of raw tensors q, k, v and the relative embeddings, outside the graph: for looking at p. */
    public static OutputAndWeights outputAndWeights(Tensor q, Tensor k, Tensor v, Tensor relRow, Tensor relColumn,
            LocalAttentionWindow window) {
        LocalSelfAttentionKernels.Forward result =
                LocalSelfAttentionKernels.forward(q, k, v, relRow, relColumn, window);
        return new OutputAndWeights(result.output(), result.weights());
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        if (inputs.length != 5) {
            throw new IllegalArgumentException(window + ": expected the inputs (q, k, v, relRow, relColumn), got "
                    + inputs.length + " inputs");
        }
        OutputAndWeights result = outputAndWeights(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4], window);
        save(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4]);
        saveOwned(result.weights());
        return result.output();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Gradients grads = LocalSelfAttentionKernels.backward(g, saved(0), saved(1), saved(2), saved(3), saved(4),
                saved(5), window);
        return new Tensor[] {grads.q(), grads.k(), grads.v(), grads.relRow(), grads.relColumn()};
    }
}

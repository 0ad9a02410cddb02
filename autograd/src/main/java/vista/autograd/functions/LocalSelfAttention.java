package vista.autograd.functions;

import vista.autograd.Function;
import vista.autograd.Variable;
import vista.tensor.Tensor;
import vista.tensor.geometry.LocalAttentionWindow;
import vista.tensor.kernels.LocalSelfAttentionKernels.Forward;
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
 * formulas, and the kernels, are in {@link vista.tensor.kernels.LocalSelfAttentionKernels}; saved for backward:
 * the five inputs and the attention weights p {@code (N, heads, kernel², H, W)}, so the softmax is not
 * recomputed.
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

    @Override
    protected Tensor forward(Tensor... inputs) {
        if (inputs.length != 5) {
            throw new IllegalArgumentException(window + ": expected the inputs (q, k, v, relRow, relColumn), got "
                    + inputs.length + " inputs");
        }
        Forward result = vista.tensor.kernels.LocalSelfAttentionKernels.forward(
                inputs[0], inputs[1], inputs[2], inputs[3], inputs[4], window);
        save(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4], result.weights());
        return result.output();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Gradients grads = vista.tensor.kernels.LocalSelfAttentionKernels.backward(
                g, saved(0), saved(1), saved(2), saved(3), saved(4), saved(5), window);
        return new Tensor[] {grads.q(), grads.k(), grads.v(), grads.relRow(), grads.relColumn()};
    }
}

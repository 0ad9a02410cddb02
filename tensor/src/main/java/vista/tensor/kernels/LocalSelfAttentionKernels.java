package vista.tensor.kernels;

import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.LocalAttentionWindow;
import vista.tensor.runtime.Kernels;

/**
 * SASA's local self-attention (Ramachandran et al. 2019) on projected queries, keys and values, with
 * learned relative position embeddings; the 1x1 projections themselves are ordinary convolutions.
 *
 * <p>Forward. Queries q, keys k and values v are {@code (N, C, H, W)}; channel {@code c} belongs to head
 * {@code n = c / dh} at position {@code d = c mod dh}, {@code dh = C / heads}, {@code h = dh / 2},
 * {@code r = k / 2}. For output pixel (i, j), head n and offset (a, e) in {@code [0, k)^2}, the neighbour is
 * {@code (i + a - r, j + e - r)} and
 * <pre>
 *   logit[n, a k + e, i, j] = s * ( sum over d < dh of q[n dh + d, i, j] k[n dh + d, neighbour]
 *                                 + sum over d < h  of q[n dh + d, i, j]     relRow[a, d]
 *                                 + sum over d < h  of q[n dh + h + d, i, j] relCol[e, d] )
 *   p[n, ., i, j] = softmax of the logits over the k*k neighbours
 *   out[n dh + d, i, j] = sum over neighbours of p[n, a k + e, i, j] v[n dh + d, neighbour]
 * </pre>
 * with {@code s} the window's logit scale (1 in the paper). At the border, {@link LocalAttentionWindow.Border#MASK}
 * leaves outside neighbours out of the softmax; {@link LocalAttentionWindow.Border#ZERO} gives them zero
 * keys and values, so their logit is the positional term alone.
 *
 * <p>Backward, from {@code G = dL/dout} and the saved weights p (outside neighbours contribute nothing
 * to dL/dk or dL/dv, and under MASK nothing at all):
 * <pre>
 *   dL/dv[n dh + d, neighbour] += p G[n dh + d, i, j]
 *   dL/dp[n, a k + e, i, j]     = sum over d of G[n dh + d, i, j] v[n dh + d, neighbour]
 *   dL/dlogit                   = p (dL/dp - sum over neighbours of p dL/dp)          (softmax)
 *   t = s dL/dlogit
 *   dL/dq[n dh + d, i, j]      += t (k[n dh + d, neighbour] + relRow[a, d] if d < h, relCol[e, d - h] otherwise)
 *   dL/dk[n dh + d, neighbour] += t q[n dh + d, i, j]
 *   dL/drelRow[a, d]           += t q[n dh + d, i, j]       (over every n, e, i, j: the tables are shared)
 *   dL/drelCol[e, d]           += t q[n dh + h + d, i, j]
 * </pre>
 *
 * <p>This class checks shapes and picks the implementation: {@link LocalSelfAttentionReference} if any
 * operand is float64 (all are then computed in float64) or {@link Kernels#FAST} is false,
 * {@link LocalSelfAttentionFast} otherwise. Results are new contiguous tensors.
 */
public final class LocalSelfAttentionKernels {
    private LocalSelfAttentionKernels() {
    }

    /**
     * What the forward pass returns: the output {@code (N, C, H, W)} and the attention weights
     * {@code (N, heads, k*k, H, W)} (0 for neighbours masked out), which backward needs.
     */
    public record Forward(Tensor output, Tensor weights) {
    }

    /** The gradients of the loss with respect to each operand of the forward pass. */
    public record Gradients(Tensor q, Tensor k, Tensor v, Tensor relRow, Tensor relColumn) {
    }

    /** The attention output and weights of queries q, keys k and values v; see the class comment. */
    public static Forward forward(Tensor q, Tensor k, Tensor v, Tensor relRow, Tensor relColumn,
            LocalAttentionWindow window) {
        window.checkOperands(q.shape(), k.shape(), v.shape(), relRow.shape(), relColumn.shape());
        DType dtype = commonType(q, k, v, relRow, relColumn);
        if (useFast(dtype)) {
            return LocalSelfAttentionFast.forward(q, k, v, relRow, relColumn, window);
        }
        return LocalSelfAttentionReference.forward(q.to(dtype), k.to(dtype), v.to(dtype), relRow.to(dtype),
                relColumn.to(dtype), window);
    }

    /**
     * The gradients of every operand from {@code gradOutput = dL/dout} and the forward pass's
     * {@code weights}.
     */
    public static Gradients backward(Tensor gradOutput, Tensor q, Tensor k, Tensor v, Tensor relRow,
            Tensor relColumn, Tensor weights, LocalAttentionWindow window) {
        window.checkOperands(q.shape(), k.shape(), v.shape(), relRow.shape(), relColumn.shape());
        if (!gradOutput.shape().equals(q.shape())) {
            throw new IllegalArgumentException(window + ": expected an output gradient of shape " + q.shape()
                    + ", got " + gradOutput.shape());
        }
        Shape weightsShape = window.weightsShape(q.shape());
        if (!weights.shape().equals(weightsShape)) {
            throw new IllegalArgumentException(window + ": expected attention weights of shape " + weightsShape
                    + ", got " + weights.shape());
        }
        DType dtype = commonType(gradOutput, q, k, v, relRow, relColumn, weights);
        if (useFast(dtype)) {
            return LocalSelfAttentionFast.backward(gradOutput, q, k, v, relRow, relColumn, weights, window);
        }
        return LocalSelfAttentionReference.backward(gradOutput.to(dtype), q.to(dtype), k.to(dtype), v.to(dtype),
                relRow.to(dtype), relColumn.to(dtype), weights.to(dtype), window);
    }

    private static DType commonType(Tensor... operands) {
        for (Tensor t : operands) {
            if (t.dtype() == DType.FLOAT64) {
                return DType.FLOAT64;
            }
        }
        return DType.FLOAT32;
    }

    private static boolean useFast(DType dtype) {
        return Kernels.FAST && dtype == DType.FLOAT32;
    }
}

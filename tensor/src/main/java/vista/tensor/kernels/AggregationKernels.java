package vista.tensor.kernels;

import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;
import vista.tensor.runtime.Kernels;

/**
 * SAN's aggregation (Zhao, Jia and Koltun 2020; the official {@code Aggregation} op): every output
 * pixel is a weighted sum of the values in its footprint, with weights that vary per pixel, per
 * neighbour and per channel group.
 *
 * <p>Forward. Values x are {@code (N, C, H, W)}, weights w {@code (N, Cw, K, L)} with {@code C} a
 * multiple of {@code Cw}, {@code K = k*k} and {@code L = H_out W_out} ({@link Footprint}). Channel c uses
 * weight channel {@code c mod Cw}: the sharing is interleaved, as in the official kernel, so channels
 * {@code cw, cw + Cw, cw + 2 Cw, ...} share one set of weights. With {@code src_k(o)} the input pixel
 * that neighbour k of output pixel o reads:
 * <pre>
 *   y[n, c, o] = sum over k of w[n, c mod Cw, k, o] x[n, c, src_k(o)]
 * </pre>
 * Neighbours outside the image read the reflected pixel, or nothing under zero padding.
 *
 * <p>Backward, from {@code G = dL/dy}:
 * <pre>
 *   dL/dx[n, c, src_k(o)]      += w[n, c mod Cw, k, o] G[n, c, o]      (a reflected neighbour adds to the
 *                                                                      pixel it reflects)
 *   dL/dw[n, cw, k, o]          = sum over c = cw mod Cw of G[n, c, o] x[n, c, src_k(o)]
 * </pre>
 *
 * <p>This class checks shapes and picks the implementation: {@link AggregationReference} if any operand
 * is float64 (all are then computed in float64) or {@link Kernels#FAST} is false, {@link AggregationFast}
 * otherwise. Results are new contiguous tensors.
 */
public final class AggregationKernels {
    private AggregationKernels() {
    }

    /** The gradients of the loss with respect to the values x and the weights w. */
    public record Gradients(Tensor x, Tensor w) {
    }

    /** The aggregation of values x with weights w over {@code footprint}; see the class comment. */
    public static Tensor forward(Tensor x, Tensor w, Footprint footprint) {
        checkOperands(x.shape(), w.shape(), footprint);
        DType dtype = commonType(x, w);
        if (Kernels.FAST && dtype == DType.FLOAT32) {
            return AggregationFast.forward(x, w, footprint);
        }
        return AggregationReference.forward(x.to(dtype), w.to(dtype), footprint);
    }

    /** The gradients of x and w from {@code gradOutput = dL/dy}. */
    public static Gradients backward(Tensor gradOutput, Tensor x, Tensor w, Footprint footprint) {
        checkOperands(x.shape(), w.shape(), footprint);
        Shape out = outputShape(x.shape(), footprint);
        if (!gradOutput.shape().equals(out)) {
            throw new IllegalArgumentException("SAN aggregation (" + footprint + "): expected an output gradient of"
                    + " shape " + out + ", got " + gradOutput.shape());
        }
        DType dtype = commonType(gradOutput, x, w);
        if (Kernels.FAST && dtype == DType.FLOAT32) {
            return AggregationFast.backward(gradOutput, x, w, footprint);
        }
        return AggregationReference.backward(gradOutput.to(dtype), x.to(dtype), w.to(dtype), footprint);
    }

    /** The output shape {@code (N, C, H_out, W_out)} for values of shape {@code x}. */
    public static Shape outputShape(Shape x, Footprint footprint) {
        return Shape.of(x.dim(0), x.dim(1), footprint.outputSize(x.dim(2)), footprint.outputSize(x.dim(3)));
    }

    static void checkOperands(Shape x, Shape w, Footprint footprint) {
        String who = "SAN aggregation (" + footprint + ")";
        footprint.checkFits(x, who);
        if (w.rank() != 4) {
            throw new IllegalArgumentException(who + ": expected 4-D weights (N, Cw, k*k, H_out*W_out), got " + w);
        }
        Shape expected = footprint.neighbourShape(x, w.dim(1));
        if (!w.equals(expected) || w.dim(1) < 1 || x.dim(1) % w.dim(1) != 0) {
            throw new IllegalArgumentException(who + ": values " + x + " need weights (N, Cw, k*k, H_out*W_out) = "
                    + expected + " with Cw dividing " + x.dim(1) + " channels, got " + w);
        }
    }

    static DType commonType(Tensor... operands) {
        for (Tensor t : operands) {
            if (t.dtype() == DType.FLOAT64) {
                return DType.FLOAT64;
            }
        }
        return DType.FLOAT32;
    }
}

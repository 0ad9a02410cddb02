package vista.tensor.kernels;

import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;
import vista.tensor.runtime.Kernels;

/**
 * SAN's subtraction relation (Zhao, Jia and Koltun 2020; the official {@code Subtraction2} op, and
 * {@code Subtraction} when both operands are the same tensor): for every output pixel o and neighbour
 * k of its footprint, the centre of the first operand minus the neighbour of the second.
 *
 * <p>Forward. x1 and x2 are {@code (N, C, H, W)}; the result is {@code (N, C, K, L)} with
 * {@code K = k*k}, {@code L = H_out W_out} ({@link Footprint}):
 * <pre>
 *   r[n, c, k, o] = x1[n, c, centre(o)] - x2[n, c, src_k(o)]
 * </pre>
 * where {@code centre(o) = (i s, j s)} for o = (i, j), and a neighbour outside the image reads the
 * reflected pixel, or 0 under zero padding. In the pairwise SAM, x1 = φ(x) and x2 = ψ(x).
 *
 * <p>Backward, from {@code G = dL/dr}:
 * <pre>
 *   dL/dx1[n, c, centre(o)]  = sum over k of G[n, c, k, o]
 *   dL/dx2[n, c, src_k(o)]  -= G[n, c, k, o]          (a reflected neighbour adds to the pixel it reflects)
 * </pre>
 *
 * <p>This class checks shapes and picks the implementation: {@link SubtractionReference} for float64 or
 * when {@link Kernels#FAST} is false, {@link SubtractionFast} otherwise.
 */
public final class SubtractionKernels {
    private SubtractionKernels() {
    }

    /** The gradients of the loss with respect to x1 and x2. */
    public record Gradients(Tensor x1, Tensor x2) {
    }

    /** {@code x1[centre(o)] - x2[src_k(o)]} for every neighbour k of every output pixel o. */
    public static Tensor forward(Tensor x1, Tensor x2, Footprint footprint) {
        String who = "SAN subtraction (" + footprint + ")";
        footprint.checkFits(x1.shape(), who);
        if (!x1.shape().equals(x2.shape())) {
            throw new IllegalArgumentException(who + ": both operands must have the same shape, got " + x1.shape()
                    + " and " + x2.shape());
        }
        DType dtype = AggregationKernels.commonType(x1, x2);
        if (Kernels.FAST && dtype == DType.FLOAT32) {
            return SubtractionFast.forward(x1, x2, footprint);
        }
        return SubtractionReference.forward(x1.to(dtype), x2.to(dtype), footprint);
    }

    /**
     * {@link #forward} written into {@code destination}, a {@code (N, C, K, L)} view of x1's type whose
     * (n, c) planes are each contiguous, e.g. the first C channels of a tensor that holds more.
     */
    public static void forwardInto(Tensor x1, Tensor x2, Footprint footprint, Tensor destination) {
        String who = "SAN subtraction (" + footprint + ")";
        Shape expected = footprint.neighbourShape(x1.shape(), x1.dim(1));
        int planeLength = footprint.neighbours() * expected.dim(3);
        if (!destination.shape().equals(expected) || destination.dtype() != x1.dtype()
                || destination.stride(3) != 1 || destination.stride(2) != expected.dim(3)) {
            throw new IllegalArgumentException(who + ": the destination must be " + x1.dtype() + " " + expected
                    + " with contiguous planes of " + planeLength + " values, got " + destination.dtype() + " "
                    + destination.shape());
        }
        if (Kernels.FAST && x1.dtype() == DType.FLOAT32 && x2.dtype() == DType.FLOAT32) {
            footprint.checkFits(x1.shape(), who);
            if (!x1.shape().equals(x2.shape())) {
                throw new IllegalArgumentException(who + ": both operands must have the same shape, got " + x1.shape()
                        + " and " + x2.shape());
            }
            SubtractionFast.forwardInto(x1, x2, footprint, destination);
        } else {
            destination.copyFrom(forward(x1, x2, footprint));
        }
    }

    /** The gradients of x1 and x2, both of shape {@code input}, from {@code gradOutput = dL/dr}. */
    public static Gradients backward(Tensor gradOutput, Shape input, Footprint footprint) {
        String who = "SAN subtraction (" + footprint + ")";
        footprint.checkFits(input, who);
        checkNeighbourGradient(gradOutput, input, footprint, who);
        if (Kernels.FAST && gradOutput.dtype() == DType.FLOAT32) {
            return SubtractionFast.backward(gradOutput, input, footprint);
        }
        return SubtractionReference.backward(gradOutput, input, footprint);
    }

    static void checkNeighbourGradient(Tensor gradOutput, Shape input, Footprint footprint, String who) {
        Shape expected = footprint.neighbourShape(input, input.dim(1));
        if (!gradOutput.shape().equals(expected)) {
            throw new IllegalArgumentException(who + ": expected an output gradient of shape " + expected
                    + " for an input " + input + ", got " + gradOutput.shape());
        }
    }
}

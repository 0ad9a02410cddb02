package vista.autograd.functions;

import vista.autograd.Function;
import vista.autograd.Variable;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;
import vista.tensor.kernels.SubtractionKernels;

/**
 * SAN's subtraction relation between two maps, inputs {@code (x1, x2)} both {@code (N, C, H, W)}: for
 * every output pixel o and neighbour k of its footprint,
 * <pre>
 *   r[n, c, k, o] = x1[n, c, centre(o)] - x2[n, c, src_k(o)]          (N, C, k*k, H_out W_out)
 * </pre>
 * Backward, with {@code G = dL/dr}: {@code dL/dx1[centre(o)] = sum over k of G[k, o]} and
 * {@code dL/dx2[src_k(o)] -= G[k, o]}. Nothing is saved but the input shape. The single-input form
 * ({@code Subtraction} in the official code, used on the position map) is {@link #single}; the same
 * formulas on raw tensors, outside the graph, are {@link #differences}, {@link #differencesInto} and
 * {@link #gradients} (for SAN's weight mapping, which recomputes r a few samples at a time).
 */
public final class Subtraction2 extends Function {
    private final Footprint footprint;

    public Subtraction2(Footprint footprint) {
        this.footprint = footprint;
    }

    /** {@code x1[centre(o)] - x2[src_k(o)]} for every neighbour k of every output pixel o. */
    public static Variable apply(Variable x1, Variable x2, Footprint footprint) {
        return new Subtraction2(footprint).apply(x1, x2);
    }

    /**
     * {@code x[centre(o)] - x[src_k(o)]}: the official {@code Subtraction}. Passing x as both operands
     * lets autograd add the two gradients, {@code dL/dx = dL/dx1 + dL/dx2}.
     */
    public static Variable single(Variable x, Footprint footprint) {
        return new Subtraction2(footprint).apply(x, x);
    }

    /** {@code r = x1[centre(o)] - x2[src_k(o)]} of raw tensors: {@code (N, C, k*k, H_out W_out)}. */
    public static Tensor differences(Tensor x1, Tensor x2, Footprint footprint) {
        return SubtractionKernels.forward(x1, x2, footprint);
    }

    /**
     * {@link #differences} written into {@code destination}, a {@code (N, C, k*k, H_out W_out)} view of x1's
     * type whose (n, c) planes are each contiguous, e.g. the first C channels of a tensor that holds more.
     */
    public static void differencesInto(Tensor x1, Tensor x2, Footprint footprint, Tensor destination) {
        SubtractionKernels.forwardInto(x1, x2, footprint, destination);
    }

    /**
     * {@code {dL/dx1, dL/dx2}}, both of shape {@code input}, from {@code G = dL/dr}:
     * {@code dL/dx1[centre(o)] = sum over k of G[k, o]} and {@code dL/dx2[src_k(o)] -= G[k, o]}.
     */
    public static Tensor[] gradients(Tensor g, Shape input, Footprint footprint) {
        SubtractionKernels.Gradients grads = SubtractionKernels.backward(g, input, footprint);
        return new Tensor[] {grads.x1(), grads.x2()};
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        if (inputs.length != 2) {
            throw new IllegalArgumentException("SAN subtraction: expected the inputs (x1, x2), got " + inputs.length
                    + " inputs");
        }
        return differences(inputs[0], inputs[1], footprint);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return gradients(g, inputShape(0), footprint);
    }
}

package vista.autograd.functions;

import vista.autograd.Function;
import vista.autograd.Variable;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;
import vista.tensor.kernels.NeighbourhoodKernels;

/**
 * The neighbours of every output pixel (PyTorch's {@code unfold} of the padded input, in SAN's layout),
 * input x {@code (N, C, H, W)}:
 * <pre>
 *   u[n, c, k, o] = x[n, c, src_k(o)]          (N, C, k*k, H_out W_out; 0 for a zero-padded neighbour)
 * </pre>
 * Backward: {@code dL/dx[src_k(o)] += G[k, o]}, a reflected neighbour adding to the pixel it reflects.
 * The patchwise SAM's weight mapping reads its neighbours through this, in the graph or, recomputing them
 * a few samples at a time, through {@link #neighbours} and {@link #gradient} on raw tensors; the kernels
 * are in {@link NeighbourhoodKernels}. Nothing is saved but the input shape.
 */
public final class Neighbourhood extends Function {
    private final Footprint footprint;

    public Neighbourhood(Footprint footprint) {
        this.footprint = footprint;
    }

    /** Every neighbour of every output pixel of x. */
    public static Variable apply(Variable x, Footprint footprint) {
        return new Neighbourhood(footprint).apply(x);
    }

    /** {@code u[n, c, k, o] = x[n, c, src_k(o)]} of a raw tensor: {@code (N, C, k*k, H_out W_out)}. */
    public static Tensor neighbours(Tensor x, Footprint footprint) {
        return NeighbourhoodKernels.forward(x, footprint);
    }

    /** {@code dL/dx} of shape {@code input} from {@code G = dL/du}: {@code dL/dx[src_k(o)] += G[k, o]}. */
    public static Tensor gradient(Tensor g, Shape input, Footprint footprint) {
        return NeighbourhoodKernels.backward(g, input, footprint);
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        if (inputs.length != 1) {
            throw new IllegalArgumentException("SAN neighbourhood: expected one input, got " + inputs.length);
        }
        return neighbours(inputs[0], footprint);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {gradient(g, inputShape(0), footprint)};
    }
}

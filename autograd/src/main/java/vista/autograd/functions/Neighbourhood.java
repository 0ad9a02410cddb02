package vista.autograd.functions;

import vista.autograd.Function;
import vista.autograd.Variable;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;

/**
 * The neighbours of every output pixel (PyTorch's {@code unfold} of the padded input, in SAN's layout),
 * input x {@code (N, C, H, W)}:
 * <pre>
 *   u[n, c, k, o] = x[n, c, src_k(o)]          (N, C, k*k, H_out W_out; 0 for a zero-padded neighbour)
 * </pre>
 * Backward: {@code dL/dx[src_k(o)] += G[k, o]}, a reflected neighbour adding to the pixel it reflects.
 * The patchwise SAM's weight mapping reads its neighbours through this; the kernels are in
 * {@link vista.tensor.kernels.NeighbourhoodKernels}. Nothing is saved but the input shape.
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

    @Override
    protected Tensor forward(Tensor... inputs) {
        if (inputs.length != 1) {
            throw new IllegalArgumentException("SAN neighbourhood: expected one input, got " + inputs.length);
        }
        return vista.tensor.kernels.NeighbourhoodKernels.forward(inputs[0], footprint);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {vista.tensor.kernels.NeighbourhoodKernels.backward(g, inputShape(0), footprint)};
    }
}

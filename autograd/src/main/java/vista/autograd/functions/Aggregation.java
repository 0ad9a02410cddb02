package vista.autograd.functions;

import vista.autograd.Complexity;
import vista.autograd.Function;
import vista.autograd.Variable;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;

/**
 * SAN's aggregation, inputs {@code (x, w)}: values x {@code (N, C, H, W)} and per-pixel weights w
 * {@code (N, Cw, k*k, H_out W_out)}, channel c using weight channel {@code c mod Cw}:
 * <pre>
 *   y[n, c, o] = sum over neighbours k of w[n, c mod Cw, k, o] x[n, c, src_k(o)]
 * </pre>
 * Backward, with {@code G = dL/dy}: {@code dL/dx[src_k(o)] += w G} (a reflected neighbour adds to the
 * pixel it reflects) and {@code dL/dw[n, cw, k, o] = sum over c = cw mod Cw of G[n, c, o] x[n, c, src_k(o)]}.
 * The footprint's geometry and the kernels are in {@link vista.tensor.kernels.AggregationKernels}; saved for
 * backward: x and w. The cost, for this operation and the {@code Aggregation2d} layer alike, is
 * {@link #cost(Footprint, Shape)}.
 */
public final class Aggregation extends Function implements Complexity {
    private final Footprint footprint;

    public Aggregation(Footprint footprint) {
        this.footprint = footprint;
    }

    /** The aggregation of values x with weights w over {@code footprint}. */
    public static Variable apply(Variable x, Variable w, Footprint footprint) {
        return new Aggregation(footprint).apply(x, w);
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        if (inputs.length != 2) {
            throw new IllegalArgumentException("SAN aggregation: expected the inputs (x, w), got " + inputs.length
                    + " inputs");
        }
        save(inputs[0], inputs[1]);
        return vista.tensor.kernels.AggregationKernels.forward(inputs[0], inputs[1], footprint);
    }

    /** {@link #cost(Footprint, Shape)} of this call. */
    @Override
    public Cost cost(Shape input, Shape output) {
        return cost(footprint, output);
    }

    /**
     * What an aggregation over {@code footprint} producing {@code output} costs: {@code N C k² H_out W_out}
     * multiply-adds, {@code k²} per output element, and no other ops.
     */
    public static Cost cost(Footprint footprint, Shape output) {
        return new Cost((long) output.numel() * footprint.neighbours(), 0);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        vista.tensor.kernels.AggregationKernels.Gradients grads =
                vista.tensor.kernels.AggregationKernels.backward(g, saved(0), saved(1), footprint);
        return new Tensor[] {grads.x(), grads.w()};
    }
}

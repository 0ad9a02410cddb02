package vista.nn.san;

import vista.autograd.Complexity;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.autograd.functions.Aggregation;
import vista.nn.Module;
import vista.tensor.Shape;
import vista.tensor.geometry.Footprint;

/**
 * SAN's aggregation as a layer (the official {@code Aggregation} module): values x {@code (N, C, H, W)}
 * weighted by w {@code (N, Cw, k*k, H_out W_out)} over each pixel's footprint,
 * {@code y[n, c, o] = sum over k of w[n, c mod Cw, k, o] x[n, c, src_k(o)]}. No parameters; the math is
 * {@link Aggregation}'s. A layer so that summaries see and count it; it takes two inputs, so it runs
 * through {@link #forward(Variable, Variable)}.
 */
public final class Aggregation2d extends Module implements Complexity {
    private final Footprint footprint;

    public Aggregation2d(Footprint footprint) {
        this.footprint = footprint;
    }

    /** Always fails: the aggregation needs the weights too. */
    @Override
    public Variable forward(Variable x) {
        throw new UnsupportedOperationException(this + ": the aggregation takes values and weights; call forward(x, w)");
    }

    /** The aggregation of values x with weights w. */
    public Variable forward(Variable x, Variable w) {
        return Ledger.record(this, x, Aggregation.apply(x, w, footprint));
    }

    /** The cost of its aggregation, {@link Aggregation#cost(Footprint, Shape)}. */
    @Override
    public Cost cost(Shape input, Shape output) {
        return Aggregation.cost(footprint, output);
    }

    @Override
    public String toString() {
        return "Aggregation2d(" + footprint + ")";
    }
}

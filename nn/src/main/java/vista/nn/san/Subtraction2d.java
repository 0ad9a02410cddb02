package vista.nn.san;

import vista.autograd.Complexity;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.autograd.functions.Subtraction2;
import vista.nn.Module;
import vista.tensor.Shape;
import vista.tensor.geometry.Footprint;

/**
 * SAN's subtraction as a layer (the official {@code Subtraction} and {@code Subtraction2} modules): for
 * every output pixel o and neighbour k of its footprint, {@code x1[centre(o)] - x2[src_k(o)]}, giving
 * {@code (N, C, k*k, H_out W_out)}. {@link #forward(Variable)} is the single-map form (x1 = x2 = x, used
 * on the position map), {@link #forward(Variable, Variable)} the two-map form. No parameters; the math
 * is {@link Subtraction2}'s. A layer so that summaries see and count it.
 */
public final class Subtraction2d extends Module implements Complexity {
    private final Footprint footprint;

    public Subtraction2d(Footprint footprint) {
        this.footprint = footprint;
    }

    /** {@code x[centre(o)] - x[src_k(o)]}. */
    @Override
    public Variable forward(Variable x) {
        return Ledger.record(this, x, Subtraction2.single(x, footprint));
    }

    /** {@code x1[centre(o)] - x2[src_k(o)]}. */
    public Variable forward(Variable x1, Variable x2) {
        return Ledger.record(this, x1, Subtraction2.apply(x1, x2, footprint));
    }

    /** Other ops only, one subtraction per output element. */
    @Override
    public Cost cost(Shape input, Shape output) {
        return Cost.otherOps(output.numel());
    }

    @Override
    public String toString() {
        return "Subtraction2d(" + footprint + ")";
    }
}

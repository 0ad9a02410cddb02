package vista.nn.san;

import vista.autograd.Complexity;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.autograd.functions.Neighbourhood;
import vista.nn.Module;
import vista.tensor.Shape;
import vista.tensor.geometry.Footprint;

/**
 * The neighbours of every output pixel as a layer (the official patchwise block's reflection pad and
 * unfold): {@code u[n, c, k, o] = x[n, c, src_k(o)]}, {@code (N, C, k*k, H_out W_out)}. No parameters and
 * no arithmetic; the math is {@link Neighbourhood}'s.
 */
public final class Neighbourhood2d extends Module implements Complexity {
    private final Footprint footprint;

    public Neighbourhood2d(Footprint footprint) {
        this.footprint = footprint;
    }

    @Override
    public Variable forward(Variable x) {
        return Ledger.record(this, x, Neighbourhood.apply(x, footprint));
    }

    /** Nothing: copying neighbours is no arithmetic (nor does the official counter count it). */
    @Override
    public Cost cost(Shape input, Shape output) {
        return Cost.NONE;
    }

    @Override
    public String toString() {
        return "Neighbourhood2d(" + footprint + ")";
    }
}

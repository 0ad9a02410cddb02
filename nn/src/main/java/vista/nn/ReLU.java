package vista.nn;

import vista.autograd.Complexity;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.tensor.Shape;

/** The rectifier, elementwise: {@code y = max(x, 0)}; backward {@code dL/dx = g} where {@code x > 0}, else 0. */
public final class ReLU extends Module implements Complexity {
    @Override
    public Variable forward(Variable input) {
        return Ledger.record(this, input, input.relu());
    }

    /** Other ops only, one per element. */
    @Override
    public Cost cost(Shape input, Shape output) {
        return Cost.otherOps(output.numel());
    }

    @Override
    public String toString() {
        return "ReLU";
    }
}

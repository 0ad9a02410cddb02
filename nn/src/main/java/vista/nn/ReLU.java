package vista.nn;

import vista.autograd.Variable;

/** The rectifier, elementwise: {@code y = max(x, 0)}; backward {@code dL/dx = g} where {@code x > 0}, else 0. */
public final class ReLU extends Module {
    @Override
    public Variable forward(Variable input) {
        return input.relu();
    }

    @Override
    public String toString() {
        return "ReLU";
    }
}

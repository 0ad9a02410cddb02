package vista.nn;

import java.util.Arrays;
import vista.autograd.Complexity;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.tensor.Shape;

/**
 * Keeps the batch axis and flattens the rest: {@code (N, d1, d2, ...) -> (N, d1 d2 ...)}, in row-major
 * order (as {@code torch.nn.Flatten()}); backward reshapes the gradient back.
 */
public final class Flatten extends Module implements Complexity {
    @Override
    public Variable forward(Variable input) {
        if (input.rank() < 1) {
            throw new IllegalArgumentException("Flatten: expected an input (N, ...) with a batch axis, got "
                    + input.shape());
        }
        int[] dims = input.dims();
        int rest = Arrays.stream(dims, 1, dims.length).reduce(1, (a, b) -> a * b);
        return Ledger.record(this, input, input.reshape(dims[0], rest));
    }

    /** Nothing: a reshape moves no data. */
    @Override
    public Cost cost(Shape input, Shape output) {
        return Cost.NONE;
    }

    @Override
    public String toString() {
        return "Flatten";
    }
}

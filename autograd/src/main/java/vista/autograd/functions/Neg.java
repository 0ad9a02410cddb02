package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;

/** Negation. {@code y = -x}; {@code dL/dx = -g}. */
public final class Neg extends Function {
    @Override
    protected Tensor forward(Tensor... inputs) {
        return inputs[0].neg();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.neg()};
    }
}

package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;

/** Exponential. {@code y = e^x}; {@code dL/dx = g y}. */
public final class Exp extends Function {
    @Override
    protected Tensor forward(Tensor... inputs) {
        Tensor y = inputs[0].exp();
        save(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.mul(saved(0))};
    }
}

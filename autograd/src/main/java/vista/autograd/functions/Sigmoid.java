package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;

/** Logistic sigmoid. {@code y = 1 / (1 + e^-x)}; {@code dL/dx = g y (1 - y)}. */
public final class Sigmoid extends Function {
    @Override
    protected Tensor forward(Tensor... inputs) {
        Tensor y = inputs[0].sigmoid();
        save(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor y = saved(0);
        return new Tensor[] {g.mul(y).mul(y.neg().add(1))};
    }
}

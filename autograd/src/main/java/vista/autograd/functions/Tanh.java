package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;

/** Hyperbolic tangent. {@code y = tanh x}; {@code dL/dx = g (1 - y^2)}. */
public final class Tanh extends Function {
    @Override
    protected Tensor forward(Tensor... inputs) {
        Tensor y = inputs[0].tanh();
        save(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor y = saved(0);
        return new Tensor[] {g.mul(y.mul(y).neg().add(1))};
    }
}

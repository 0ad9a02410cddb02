package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;

/** Square root. {@code y = sqrt(x)}; {@code dL/dx = g / (2 y)}. */
public final class Sqrt extends Function {
    @Override
    protected Tensor forward(Tensor... inputs) {
        Tensor y = inputs[0].sqrt();
        save(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.div(saved(0).mul(2))};
    }
}

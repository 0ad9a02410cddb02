package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;

/** Natural logarithm. {@code y = ln x}; {@code dL/dx = g / x}. */
public final class Log extends Function {
    @Override
    protected Tensor forward(Tensor... inputs) {
        save(inputs[0]);
        return inputs[0].log();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.div(saved(0))};
    }
}

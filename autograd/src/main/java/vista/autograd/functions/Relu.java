package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;

/** Rectified linear unit. {@code y = max(x, 0)}; {@code dL/dx = g [x > 0]} (0 at {@code x = 0}). */
public final class Relu extends Function {
    @Override
    protected Tensor forward(Tensor... inputs) {
        save(inputs[0]);
        return inputs[0].relu();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor x = saved(0);
        return new Tensor[] {g.mul(x.gt(Tensor.scalar(x.dtype(), 0)))};
    }
}

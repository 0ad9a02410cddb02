package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;

/** Absolute value. {@code y = |x|}; {@code dL/dx = g sign(x)}, with {@code sign(0) = 0}. */
public final class Abs extends Function {
    @Override
    protected Tensor forward(Tensor... inputs) {
        save(inputs[0]);
        return inputs[0].abs();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor x = saved(0);
        Tensor zero = Tensor.scalar(x.dtype(), 0);
        return new Tensor[] {g.mul(x.gt(zero).sub(x.lt(zero)))};
    }
}

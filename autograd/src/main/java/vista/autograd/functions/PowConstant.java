package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;

/** Power with a constant exponent c. {@code y = x^c}; {@code dL/dx = g c x^(c-1)}. */
public final class PowConstant extends Function {
    private final double exponent;

    public PowConstant(double exponent) {
        this.exponent = exponent;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        save(inputs[0]);
        return inputs[0].pow(exponent);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor x = saved(0);
        return new Tensor[] {g.mul(x.pow(exponent - 1)).mul(exponent)};
    }
}

package vista.autograd.functions;

import static vista.autograd.functions.GradientShapes.sumToShape;

import vista.autograd.Function;
import vista.tensor.Tensor;

/**
 * Power with a variable exponent, with broadcasting. {@code y = a^b};
 * {@code dL/da = sumToShape(g b a^(b-1), a)}, {@code dL/db = sumToShape(g y ln a, b)}. The exponent's
 * gradient is only defined for {@code a > 0}; it is computed only when the exponent requires grad.
 */
public final class Pow extends Function {
    @Override
    protected Tensor forward(Tensor... inputs) {
        Tensor y = inputs[0].pow(inputs[1]);
        save(inputs[0], inputs[1], y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor a = saved(0);
        Tensor b = saved(1);
        Tensor y = saved(2);
        return new Tensor[] {
            needsInputGrad(0) ? sumToShape(g.mul(b).mul(a.pow(b.sub(1))), inputShape(0)) : null,
            needsInputGrad(1) ? sumToShape(g.mul(y).mul(a.log()), inputShape(1)) : null
        };
    }
}

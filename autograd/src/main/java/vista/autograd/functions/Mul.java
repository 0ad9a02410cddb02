package vista.autograd.functions;

import static vista.autograd.functions.GradientShapes.sumToShape;

import vista.autograd.Function;
import vista.tensor.Tensor;

/**
 * Product with broadcasting. {@code y = a b}; {@code dL/da = sumToShape(g b, a)},
 * {@code dL/db = sumToShape(g a, b)}.
 */
public final class Mul extends Function {
    @Override
    protected Tensor forward(Tensor... inputs) {
        save(inputs[0], inputs[1]);
        return inputs[0].mul(inputs[1]);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor a = saved(0);
        Tensor b = saved(1);
        return new Tensor[] {
            needsInputGrad(0) ? sumToShape(g.mul(b), inputShape(0)) : null,
            needsInputGrad(1) ? sumToShape(g.mul(a), inputShape(1)) : null
        };
    }
}

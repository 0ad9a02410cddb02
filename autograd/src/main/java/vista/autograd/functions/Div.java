package vista.autograd.functions;

import static vista.autograd.functions.GradientShapes.sumToShape;

import vista.autograd.Function;
import vista.tensor.Tensor;

/**
 * Quotient with broadcasting. {@code y = a / b}; {@code dL/da = sumToShape(g / b, a)},
 * {@code dL/db = sumToShape(-g a / b^2, b)}.
 */
public final class Div extends Function {
    @Override
    protected Tensor forward(Tensor... inputs) {
        save(inputs[0], inputs[1]);
        return inputs[0].div(inputs[1]);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor a = saved(0);
        Tensor b = saved(1);
        Tensor gOverB = g.div(b);
        return new Tensor[] {
            needsInputGrad(0) ? sumToShape(gOverB, inputShape(0)) : null,
            needsInputGrad(1) ? sumToShape(gOverB.mul(a).div(b).neg(), inputShape(1)) : null
        };
    }
}

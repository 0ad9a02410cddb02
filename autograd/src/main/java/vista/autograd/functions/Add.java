package vista.autograd.functions;

import static vista.autograd.functions.GradientShapes.sumToShape;

import vista.autograd.Function;
import vista.tensor.Tensor;

/**
 * Sum with broadcasting. {@code y = a + b}; {@code dL/da = sumToShape(g, a)},
 * {@code dL/db = sumToShape(g, b)}.
 */
public final class Add extends Function {
    @Override
    protected Tensor forward(Tensor... inputs) {
        return inputs[0].add(inputs[1]);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {
            needsInputGrad(0) ? sumToShape(g, inputShape(0)) : null,
            needsInputGrad(1) ? sumToShape(g, inputShape(1)) : null
        };
    }
}

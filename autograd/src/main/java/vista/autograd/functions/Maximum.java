package vista.autograd.functions;

import static vista.autograd.functions.GradientShapes.sumToShape;

import vista.autograd.Function;
import vista.tensor.Tensor;

/**
 * Elementwise larger value, with broadcasting. {@code y = max(a, b)}; with the weight
 * {@code w = [a > b] + [a == b] / 2}: {@code dL/da = sumToShape(g w, a)},
 * {@code dL/db = sumToShape(g (1 - w), b)} (a tie sends half the gradient to each side).
 */
public final class Maximum extends Function {
    @Override
    protected Tensor forward(Tensor... inputs) {
        save(inputs[0], inputs[1]);
        return inputs[0].maximum(inputs[1]);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor a = saved(0);
        Tensor b = saved(1);
        Tensor gToA = g.mul(a.gt(b).add(a.eq(b).mul(0.5)));
        return new Tensor[] {
            needsInputGrad(0) ? sumToShape(gToA, inputShape(0)) : null,
            needsInputGrad(1) ? sumToShape(g.sub(gToA), inputShape(1)) : null
        };
    }
}

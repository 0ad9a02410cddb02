package vista.autograd.functions;

import static vista.autograd.functions.GradientShapes.sumToShape;

import vista.autograd.Function;
import vista.tensor.Tensor;

/**
 * Selection by a constant condition c, with broadcasting. {@code y = c ? a : b};
 * {@code dL/da = sumToShape(c ? g : 0, a)}, {@code dL/db = sumToShape(c ? 0 : g, b)}. The condition
 * is a plain tensor and gets no gradient.
 */
public final class Where extends Function {
    public Where(Tensor condition) {
        save(condition);
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        return Tensor.where(saved(0), inputs[0], inputs[1]);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor c = saved(0);
        Tensor zero = Tensor.scalar(g.dtype(), 0);
        return new Tensor[] {
            needsInputGrad(0) ? sumToShape(Tensor.where(c, g, zero), inputShape(0)) : null,
            needsInputGrad(1) ? sumToShape(Tensor.where(c, zero, g), inputShape(1)) : null
        };
    }
}

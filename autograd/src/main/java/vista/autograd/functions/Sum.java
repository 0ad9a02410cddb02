package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * Sum over some axes. {@code y = sum_{axes} x}; {@code dL/dx = g} repeated along the summed axes
 * (reshaped to the keepdim shape, then expanded to the shape of x).
 */
public final class Sum extends Function {
    private final int[] axes;
    private final boolean keepdim;

    public Sum(int[] axes, boolean keepdim) {
        this.axes = axes.clone();
        this.keepdim = keepdim;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        return inputs[0].sum(axes, keepdim);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Shape x = inputShape(0);
        Shape kept = GradientShapes.keptShape(x, axes, "sum");
        return new Tensor[] {g.reshape(kept.dims()).expand(x.dims())};
    }
}

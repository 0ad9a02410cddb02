package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * Mean over some axes, n elements each. {@code y = (1/n) sum_{axes} x}; {@code dL/dx = g / n}
 * repeated along the averaged axes.
 */
public final class Mean extends Function {
    private final int[] axes;
    private final boolean keepdim;

    public Mean(int[] axes, boolean keepdim) {
        this.axes = axes.clone();
        this.keepdim = keepdim;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        return inputs[0].mean(axes, keepdim);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Shape x = inputShape(0);
        Shape kept = GradientShapes.keptShape(x, axes, "mean");
        int n = GradientShapes.reducedCount(x, kept);
        return new Tensor[] {g.reshape(kept.dims()).div(n).expand(x.dims())};
    }
}

package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * Variance over some axes, n elements each, with a correction c (1: unbiased, 0: population).
 * {@code y = sum_{axes} (x - mean)^2 / (n - c)}; {@code dL/dx = g 2 (x - mean) / (n - c)}, g repeated
 * along the reduced axes. (The mean's own dependence on x drops out because sum(x - mean) = 0.)
 */
public final class Variance extends Function {
    private final int[] axes;
    private final boolean keepdim;
    private final int correction;

    public Variance(int[] axes, boolean keepdim, int correction) {
        this.axes = axes.clone();
        this.keepdim = keepdim;
        this.correction = correction;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        Tensor x = inputs[0];
        save(x.sub(x.mean(axes, true)));
        return x.var(axes, keepdim, correction);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor centered = saved(0);
        Shape x = inputShape(0);
        Shape kept = GradientShapes.keptShape(x, axes, "var");
        double scale = 2.0 / (GradientShapes.reducedCount(x, kept) - correction);
        return new Tensor[] {centered.mul(g.reshape(kept.dims()).mul(scale))};
    }
}

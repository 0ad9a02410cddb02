package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;

/**
 * Largest element over some axes. {@code y = max_{axes} x}; with the mask {@code m = [x == y]} (y
 * repeated along the reduced axes), {@code dL/dx = g m / sum_{axes} m}: the gradient goes to the
 * maximal element, and tied maxima share it equally. (The forward value does not depend on which tied
 * element is "the" maximum, so no element is preferred.)
 */
public final class Max extends Function {
    private final int[] axes;
    private final boolean keepdim;

    public Max(int[] axes, boolean keepdim) {
        this.axes = axes.clone();
        this.keepdim = keepdim;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        Tensor x = inputs[0];
        Tensor y = x.max(axes, keepdim);
        save(x, y.reshape(GradientShapes.keptShape(x.shape(), axes, "max").dims()));
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor x = saved(0);
        Tensor kept = saved(1);
        Tensor mask = x.eq(kept);
        Tensor share = mask.div(mask.sum(axes, true));
        return new Tensor[] {share.mul(g.reshape(kept.dims()))};
    }
}

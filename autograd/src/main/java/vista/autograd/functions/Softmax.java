package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;

/**
 * Softmax along one axis. {@code y_i = e^(x_i) / sum_j e^(x_j)};
 * {@code dL/dx_i = y_i (g_i - sum_j g_j y_j)}.
 */
public final class Softmax extends Function {
    private final int axis;

    public Softmax(int axis) {
        this.axis = axis;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        Tensor y = inputs[0].softmax(axis);
        save(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor y = saved(0);
        Tensor products = g.mul(y);
        Tensor weighted = products.sum(new int[] {axis}, true);
        Tensor centred = g.sub(weighted);
        Tensor dx = y.mul(centred);
        discard(products);
        discard(weighted);
        discard(centred);
        return new Tensor[] {dx};
    }
}

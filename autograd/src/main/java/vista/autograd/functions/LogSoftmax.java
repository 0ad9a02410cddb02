package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;

/**
 * Log-softmax along one axis. {@code y_i = x_i - ln sum_j e^(x_j)};
 * {@code dL/dx_i = g_i - e^(y_i) sum_j g_j} (e^y is the softmax).
 */
public final class LogSoftmax extends Function {
    private final int axis;

    public LogSoftmax(int axis) {
        this.axis = axis;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        Tensor y = inputs[0].logSoftmax(axis);
        save(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor softmax = saved(0).exp();
        Tensor total = g.sum(new int[] {axis}, true);
        Tensor shares = softmax.mul(total);
        Tensor dx = g.sub(shares);
        discard(softmax);
        discard(total);
        discard(shares);
        return new Tensor[] {dx};
    }
}

package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;
import vista.tensor.kernels.ChannelAffine;

/**
 * Rectified linear unit. {@code y = max(x, 0)}; {@code dL/dx = g [x > 0]} (0 at {@code x = 0}). The same
 * backward on raw tensors, in place and from the output y (y > 0 exactly where x > 0), is
 * {@link #keepWherePositive}.
 */
public final class Relu extends Function {
    @Override
    protected Tensor forward(Tensor... inputs) {
        save(inputs[0]);
        return inputs[0].relu();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor x = saved(0);
        Tensor positive = x.gt(Tensor.scalar(x.dtype(), 0));
        Tensor dx = g.mul(positive);
        discard(positive);
        return new Tensor[] {dx};
    }

    /** {@code g [y > 0]}: g (contiguous, of y's shape) set to 0 in place wherever {@code y <= 0}; returns g. */
    public static Tensor keepWherePositive(Tensor g, Tensor y) {
        return ChannelAffine.keepWherePositive(g, y);
    }
}

package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;

/**
 * Joining along one axis. {@code y = [x_0, x_1, ...]} along {@code axis};
 * {@code dL/dx_i = g[o_i : o_i + n_i]} along that axis, where {@code o_i} is where x_i starts in y and
 * {@code n_i} its size there.
 */
public final class Concat extends Function {
    private final int axis;

    public Concat(int axis) {
        this.axis = axis;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        return Tensor.concat(axis, inputs);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int a = g.shape().axis(axis, "concat");
        Tensor[] grads = new Tensor[inputs().size()];
        int start = 0;
        for (int i = 0; i < grads.length; i++) {
            int size = inputShape(i).dim(a);
            grads[i] = g.slice(a, start, start + size);
            start += size;
        }
        return grads;
    }
}

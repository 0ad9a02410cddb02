package vista.autograd.functions;

import vista.autograd.Function;
import vista.tensor.Tensor;

/**
 * Axis reordering. {@code y = permute(x, order)} (axis i of y is axis order[i] of x);
 * {@code dL/dx = permute(g, inverse)} with {@code inverse[order[i]] = i}.
 */
public final class Permute extends Function {
    private final int[] order;

    public Permute(int... order) {
        this.order = order.clone();
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        return inputs[0].permute(order);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int[] inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            inverse[inputShape(0).axis(order[i], "permute")] = i;
        }
        return new Tensor[] {g.permute(inverse)};
    }
}
